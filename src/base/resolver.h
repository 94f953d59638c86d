// Host names to numeric addresses with c-ares, which reads /etc/resolv.conf and /etc/hosts
// itself: a static glibc binary cannot load NSS modules, so what its getaddrinfo does with a
// name (in a FROM scratch image, for one) depends on the glibc it was linked with, while
// parsing a numeric address needs nothing.
#pragma once

#include <chrono>
#include <string>

#include "base/status.h"

namespace registry {

// The numeric address of `host` as text ("93.184.216.34", "::1"), IPv4 preferred when the name
// has both. A numeric host is returned as it is; a name is looked up as c-ares does (the
// `lookup` order of /etc/resolv.conf, default /etc/hosts then DNS; `localhost` always resolves).
// Errors name the host: Unavailable("cannot resolve HOST: why") when there is no address,
// Timeout("cannot resolve HOST: no answer within N ms") past `timeout`.
// Thread-safe: each call has its own c-ares channel, so it sees edits to those files.
Result<std::string> ResolveHost(const std::string& host, std::chrono::milliseconds timeout);

}  // namespace registry
