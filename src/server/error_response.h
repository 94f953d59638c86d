// The replies the front end writes itself (limits, refusals), in cargo's error shape.
#pragma once

#include <string>

#include "http/message.h"

namespace registry {

HttpResponse ErrorResponse(int status, const std::string& detail);

}  // namespace registry
