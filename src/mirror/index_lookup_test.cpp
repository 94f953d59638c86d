// Tests for looking up checksums in upstream index files.
#include "mirror/index_lookup.h"

#include <doctest/doctest.h>

namespace registry {

static const std::string kA(64, 'a');
static const std::string kB(64, 'b');

TEST_CASE("the cksum of the asked version is found among others") {
  std::string body = R"({"name":"x","vers":"1.0.0","deps":[],"cksum":")" + kA +
                     R"(","rust_version":"1.60","future_field":{"x":1}})"
                     "\n" +
                     R"({"name":"x","vers":"1.0.1","deps":[],"cksum":")" + kB + "\"}\n";
  Result<std::string> c = FindIndexCksum(body, "1.0.1");
  REQUIRE(c.ok());
  CHECK(*c == kB);
  CHECK(CountIndexVersions(body) == 2);
}

TEST_CASE("a version not in the file is NotFound, and junk lines are skipped") {
  std::string body = "not json\n{\"vers\":\"1.0.0\",\"cksum\":\"" + kA + "\"}\n";
  CHECK(FindIndexCksum(body, "1.0.0").ok());
  Result<std::string> c = FindIndexCksum(body, "2.0.0");
  CHECK(c.status().code() == Code::kNotFound);
  CHECK(c.status().message() == "version `2.0.0` is not in the index");
}

TEST_CASE("a malformed cksum is the upstream's fault") {
  Result<std::string> c = FindIndexCksum("{\"vers\":\"1.0.0\",\"cksum\":\"ABC\"}", "1.0.0");
  CHECK(c.status().code() == Code::kBadGateway);
}

}  // namespace registry
