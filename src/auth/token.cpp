// Token secrets and their stored hashes.
#include "auth/token.h"

#include "base/crypto.h"

namespace registry {

std::string NewTokenSecret() { return "crg_" + HexEncode(RandomBytes(32)); }

std::string HashTokenSecret(std::string_view secret) { return Sha256Hex(secret); }

std::string_view TokenFromAuthorizationHeader(std::string_view header) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  header = trim(header);
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() > kBearer.size() && header.substr(0, kBearer.size()) == kBearer) {
    header = trim(header.substr(kBearer.size()));
  }
  return header;
}

}  // namespace registry
