// Successful JSON replies, shared by the API's handlers.
#pragma once

#include <nlohmann/json.hpp>

#include "http/message.h"

namespace registry {

// 200 with `j` as the body; invalid UTF-8 in strings is replaced, never an exception.
inline void ReplyJson(const nlohmann::json& j, HttpResponse* res) {
  res->status = 200;
  res->content_type = "application/json";
  res->body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace registry
