// Splits the binary publish body (u32 LE length-prefixed JSON and .crate) into its two parts.
#include "publish/publish_body.h"

#include <cstdint>
#include <string>

namespace registry {
namespace {

constexpr size_t kLengthBytes = 4;

// Reads a u32 little-endian length; `bytes` holds at least kLengthBytes.
uint32_t ReadU32Le(std::string_view bytes) {
  uint32_t value = 0;
  for (size_t i = 0; i < kLengthBytes; ++i) {
    value |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  }
  return value;
}

// "3 bytes", "1 byte".
std::string Bytes(uint64_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

// "10485760 bytes (10 MiB)", "2048 bytes (2 KiB)", "1000 bytes": the unit in parentheses
// only when the limit is a whole number of it, so the message never rounds.
std::string FormatLimit(uint64_t limit) {
  constexpr uint64_t kKiB = 1024;
  constexpr uint64_t kMiB = 1024 * 1024;
  std::string text = Bytes(limit);
  if (limit != 0 && limit % kMiB == 0) {
    text += " (" + std::to_string(limit / kMiB) + " MiB)";
  } else if (limit != 0 && limit % kKiB == 0) {
    text += " (" + std::to_string(limit / kKiB) + " KiB)";
  }
  return text;
}

Status BadBody(const std::string& why) { return Status::Invalid("invalid publish body: " + why); }

Status TooLargePart(const char* what, uint64_t size, uint64_t limit) {
  return Status::TooLarge(std::string(what) + " is " + Bytes(size) +
                          ", over this registry's limit of " + FormatLimit(limit));
}

// "the crate part claims 9 bytes but only 1 remains"
Status ClaimsMoreThanRemains(const char* part, uint64_t claimed, uint64_t remaining) {
  return BadBody(std::string(part) + " claims " + Bytes(claimed) + " but only " +
                 std::to_string(remaining) + (remaining == 1 ? " remains" : " remain"));
}

}  // namespace

Result<PublishBody> SplitPublishBody(std::string_view body, size_t max_json, size_t max_crate) {
  std::string_view rest = body;

  if (rest.size() < kLengthBytes) {
    return BadBody("the body is shorter than its 4-byte JSON length");
  }
  const uint64_t json_len = ReadU32Le(rest);
  rest.remove_prefix(kLengthBytes);
  // The declared size is checked before the bytes so an oversized upload gets 413, not 400.
  if (json_len > max_json) return TooLargePart("the publish metadata", json_len, max_json);
  if (json_len > rest.size()) {
    return ClaimsMoreThanRemains("the JSON part", json_len, rest.size());
  }
  PublishBody parts;
  parts.json = rest.substr(0, json_len);
  rest.remove_prefix(json_len);

  if (rest.size() < kLengthBytes) return BadBody("missing the 4-byte crate length");
  const uint64_t crate_len = ReadU32Le(rest);
  rest.remove_prefix(kLengthBytes);
  if (crate_len > max_crate) return TooLargePart("the crate", crate_len, max_crate);
  if (crate_len > rest.size()) {
    return ClaimsMoreThanRemains("the crate part", crate_len, rest.size());
  }
  parts.crate = rest.substr(0, crate_len);
  rest.remove_prefix(crate_len);

  if (!rest.empty()) {
    return BadBody(Bytes(rest.size()) + " unexpected after the crate");
  }
  return parts;
}

Status CheckPublishBodySize(uint64_t content_length, size_t max_json, size_t max_crate) {
  if (content_length <= uint64_t{max_json} + max_crate + 2 * kLengthBytes) return Status::Ok();
  return Status::TooLarge("the upload is " + Bytes(content_length) +
                          ", over this registry's limit of " + FormatLimit(max_crate) +
                          " per crate plus " + FormatLimit(max_json) + " of metadata");
}

}  // namespace registry
