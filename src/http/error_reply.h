// The one place where a Status becomes an HTTP error: cargo's {"errors":[{"detail":...}]}.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "http/message.h"

namespace registry {

// Which kind of route failed: cargo needs 401 on index and download requests and 403 on the
// web API for the same bad token.
enum class RouteKind { kIndex, kApi };

// Fills `res` with the error body and an honest status. For an Unauthorized status on an
// index route it adds `WWW-Authenticate: Cargo login_url="<login_url>"`.
void ReplyError(const Status& status, RouteKind kind, const std::string& login_url,
                HttpResponse* res);

// The JSON error body for `detail`.
std::string ErrorBody(const std::string& detail);

int HttpStatusFor(Code code, RouteKind kind);

// A RateLimited status saying "too many `what` ...; try again in N seconds", after adding
// Retry-After to `res`.
Status RetryLater(int64_t seconds, const std::string& what, HttpResponse* res);

}  // namespace registry
