// Whether a client address is this machine's loopback interface.
#pragma once

#include <string_view>

namespace registry {

// True for 127.0.0.0/8, ::1 and IPv4-mapped 127.x (::ffff:127.0.0.1), as the transport
// reports the peer's address; false for anything else, names and "" included.
bool IsLoopbackAddress(std::string_view addr);

}  // namespace registry
