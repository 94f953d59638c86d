// Tests for gzip compression and Accept-Encoding parsing.
#include "storage/gzip_codec.h"

#include <doctest/doctest.h>

namespace registry {

TEST_CASE("gzip output is a gzip member that inflates back, and is deterministic") {
  std::string text;
  for (int i = 0; i < 300; ++i)
    text += R"({"name":"serde","vers":"1.0.)" + std::to_string(i) + "\"}\n";
  std::string gz = GzipCompress(text);
  CHECK(gz.size() < text.size() / 4);
  CHECK(static_cast<unsigned char>(gz[0]) == 0x1f);
  CHECK(static_cast<unsigned char>(gz[1]) == 0x8b);
  CHECK(GzipCompress(text) == gz);
  Result<std::string> back = GzipDecompress(gz, 1 << 20);
  REQUIRE(back.ok());
  CHECK(*back == text);
  CHECK(GzipDecompress("not gzip", 100).status().code() == Code::kCorrupt);
}

TEST_CASE("AcceptsGzip reads Accept-Encoding as clients send it") {
  struct Case {
    const char* header;
    bool gzip;
  } cases[] = {
      {"gzip", true},
      {"gzip, deflate, br", true},
      {"br, GZIP", true},
      {"*", true},
      {"gzip;q=0.5", true},
      {"gzip;q=0", false},
      {"gzip; q=0.0", false},
      {"deflate, br", false},
      {"", false},
      {"x-gzip", false},
      {"identity", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.header);
    CHECK(AcceptsGzip(c.header) == c.gzip);
  }
}

}  // namespace registry
