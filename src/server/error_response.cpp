// Front-end refusals as {"errors":[{"detail":...}]}.
#include "server/error_response.h"

#include "http/error_reply.h"

namespace registry {

HttpResponse ErrorResponse(int status, const std::string& detail) {
  HttpResponse res;
  res.status = status;
  res.content_type = "application/json";
  res.body = ErrorBody(detail);
  return res;
}

}  // namespace registry
