// Tests for SplitPublishBody: the length-prefixed layout, truncation, trailing bytes, limits.
#include "publish/publish_body.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace registry {
namespace {

constexpr size_t kMiB = 1024 * 1024;

std::string U32Le(uint32_t n) {
  std::string out;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  return out;
}

// A well-formed body holding `json` and `crate`.
std::string Body(const std::string& json, const std::string& crate) {
  return U32Le(static_cast<uint32_t>(json.size())) + json +
         U32Le(static_cast<uint32_t>(crate.size())) + crate;
}

TEST_CASE("SplitPublishBody returns views of the JSON and the crate") {
  struct Case {
    std::string behaviour;
    std::string body;
    std::string json;
    std::string crate;
  };
  const std::vector<Case> cases = {
      {"both parts present", Body("{\"name\":\"foo\"}", "\x1f\x8b rest"), "{\"name\":\"foo\"}",
       "\x1f\x8b rest"},
      {"both parts empty", Body("", ""), "", ""},
      {"crate bytes may contain NULs", Body("{}", std::string("a\0b", 3)), "{}",
       std::string("a\0b", 3)},
      {"JSON exactly at the limit", Body(std::string(16, 'j'), "c"), std::string(16, 'j'), "c"},
      {"crate exactly at the limit", Body("{}", std::string(32, 'c')), "{}", std::string(32, 'c')},
  };
  for (const Case& c : cases) {
    INFO(c.behaviour);
    Result<PublishBody> parts = SplitPublishBody(c.body, 16, 32);
    REQUIRE(parts.ok());
    CHECK(parts->json == c.json);
    CHECK(parts->crate == c.crate);
  }
}

TEST_CASE("SplitPublishBody points into the body without copying") {
  const std::string body = Body("{}", "crate");
  Result<PublishBody> parts = SplitPublishBody(body, kMiB, kMiB);
  REQUIRE(parts.ok());
  CHECK(parts->json.data() == body.data() + 4);
  CHECK(parts->crate.data() == body.data() + 10);
}

TEST_CASE("SplitPublishBody refuses truncated or padded bodies with Invalid") {
  struct Case {
    std::string behaviour;
    std::string body;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"empty body", "", "invalid publish body: the body is shorter than its 4-byte JSON length"},
      {"three bytes of JSON length", std::string("\x02\x00\x00", 3),
       "invalid publish body: the body is shorter than its 4-byte JSON length"},
      {"JSON shorter than declared", U32Le(5) + "{}",
       "invalid publish body: the JSON part claims 5 bytes but only 2 remain"},
      {"one JSON byte declared, none sent", U32Le(1),
       "invalid publish body: the JSON part claims 1 byte but only 0 remain"},
      {"largest u32 JSON length under a larger limit", U32Le(0xffffffffu) + "{}",
       "invalid publish body: the JSON part claims 4294967295 bytes but only 2 remain"},
      {"nothing after the JSON", U32Le(2) + "{}",
       "invalid publish body: missing the 4-byte crate length"},
      {"three bytes of crate length", U32Le(2) + "{}" + std::string("\x01\x00\x00", 3),
       "invalid publish body: missing the 4-byte crate length"},
      {"crate shorter than declared", U32Le(2) + "{}" + U32Le(9) + "c",
       "invalid publish body: the crate part claims 9 bytes but only 1 remains"},
      {"one byte after the crate", Body("{}", "crate") + "x",
       "invalid publish body: 1 byte unexpected after the crate"},
      {"three bytes after the crate", Body("{}", "crate") + "xyz",
       "invalid publish body: 3 bytes unexpected after the crate"},
  };
  for (const Case& c : cases) {
    INFO(c.behaviour);
    Result<PublishBody> parts = SplitPublishBody(c.body, 0xffffffffu, 0xffffffffu);
    REQUIRE_FALSE(parts.ok());
    CHECK(parts.status().code() == Code::kInvalid);
    CHECK(parts.status().message() == c.message);
  }
}

TEST_CASE("SplitPublishBody refuses oversized parts with TooLarge naming the limit") {
  struct Case {
    std::string behaviour;
    std::string body;
    size_t max_json;
    size_t max_crate;
    std::string message;
  };
  const std::vector<Case> cases = {
      // Only the length prefix is sent: the declared size alone decides.
      {"JSON over 1 MiB", U32Le(kMiB + 1), kMiB, 10 * kMiB,
       "the publish metadata is 1048577 bytes, over this registry's limit of 1048576 bytes "
       "(1 MiB)"},
      {"crate over 10 MiB", U32Le(2) + "{}" + U32Le(12 * kMiB), kMiB, 10 * kMiB,
       "the crate is 12582912 bytes, over this registry's limit of 10485760 bytes (10 MiB)"},
      {"limit in KiB when not whole MiB", U32Le(2) + "{}" + U32Le(4096), kMiB, 2048,
       "the crate is 4096 bytes, over this registry's limit of 2048 bytes (2 KiB)"},
      {"limit in bytes only when not whole KiB", U32Le(1001), 1000, 10 * kMiB,
       "the publish metadata is 1001 bytes, over this registry's limit of 1000 bytes"},
      {"limit of 1536 bytes is not rounded to KiB", U32Le(2) + "{}" + U32Le(2000), kMiB, 1536,
       "the crate is 2000 bytes, over this registry's limit of 1536 bytes"},
      {"limit of one byte", U32Le(2) + "{}", 1, 10 * kMiB,
       "the publish metadata is 2 bytes, over this registry's limit of 1 byte"},
      {"zero limit", U32Le(2) + "{}" + U32Le(1) + "c", kMiB, 0,
       "the crate is 1 byte, over this registry's limit of 0 bytes"},
  };
  for (const Case& c : cases) {
    INFO(c.behaviour);
    Result<PublishBody> parts = SplitPublishBody(c.body, c.max_json, c.max_crate);
    REQUIRE_FALSE(parts.ok());
    CHECK(parts.status().code() == Code::kTooLarge);
    CHECK(parts.status().message() == c.message);
  }
}

}  // namespace
TEST_CASE("CheckPublishBodySize refuses a body that cannot fit, naming the limits") {
  CHECK(CheckPublishBodySize(10 + 100 + 8, 10, 100).ok());
  Status st = CheckPublishBodySize(12582920, 1048576, 10485760);
  CHECK(st.code() == Code::kTooLarge);
  CHECK(st.message() ==
        "the upload is 12582920 bytes, over this registry's limit of 10485760 bytes (10 MiB) per "
        "crate plus 1048576 bytes (1 MiB) of metadata");
}

}  // namespace registry
