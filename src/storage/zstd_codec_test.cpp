// Tests for zstd compression of stored data.
#include "storage/zstd_codec.h"

#include <doctest/doctest.h>

#include <string>

namespace registry {

TEST_CASE("zstd round-trips text and shrinks repetitive HTML") {
  std::string html;
  for (int i = 0; i < 500; ++i) html += "<tr><td>row " + std::to_string(i) + "</td></tr>\n";
  std::string frame = ZstdCompress(html);
  CHECK(frame.size() < html.size() / 5);
  Result<std::string> back = ZstdDecompress(frame, 1 << 20);
  REQUIRE(back.ok());
  CHECK(*back == html);
}

TEST_CASE("zstd round-trips empty input") {
  Result<std::string> back = ZstdDecompress(ZstdCompress(""), 10);
  REQUIRE(back.ok());
  CHECK(back->empty());
}

TEST_CASE("zstd refuses content over the size bound") {
  std::string frame = ZstdCompress(std::string(100000, 'a'));
  Result<std::string> back = ZstdDecompress(frame, 99999);
  CHECK(back.status().code() == Code::kTooLarge);
}

TEST_CASE("zstd reports garbage, truncated frames and trailing bytes as Corrupt") {
  std::string frame = ZstdCompress(std::string(5000, 'x') + "tail");
  CHECK(ZstdDecompress("not zstd at all", 1 << 20).status().code() == Code::kCorrupt);
  CHECK(ZstdDecompress(frame.substr(0, frame.size() - 3), 1 << 20).status().code() ==
        Code::kCorrupt);
  CHECK(ZstdDecompress(frame + "junk", 1 << 20).status().code() == Code::kCorrupt);
}

}  // namespace registry
