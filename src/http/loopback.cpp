// Loopback addresses, parsed with inet_pton so "127.0.0.1.evil" or "::1x" never pass.
#include "http/loopback.h"

#include <arpa/inet.h>

#include <cstring>
#include <string>

namespace registry {

bool IsLoopbackAddress(std::string_view addr) {
  std::string text(addr);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return false;
  static const unsigned char kLoopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static const unsigned char kMapped4[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(v6.s6_addr, kLoopback6, 16) == 0) return true;
  return std::memcmp(v6.s6_addr, kMapped4, 12) == 0 && v6.s6_addr[12] == 127;
}

}  // namespace registry
