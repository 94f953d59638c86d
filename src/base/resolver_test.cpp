// Tests for name resolution with c-ares: numeric hosts, the hosts file, and a name that cannot
// exist.
#include "base/resolver.h"

#include <doctest/doctest.h>

namespace registry {

using std::chrono::milliseconds;

TEST_CASE("a numeric host is returned as it is") {
  CHECK(ResolveHost("127.0.0.1", milliseconds(1000)).value() == "127.0.0.1");
  CHECK(ResolveHost("::1", milliseconds(1000)).value() == "::1");
}

TEST_CASE("localhost resolves to a loopback address, IPv4 first") {
  Result<std::string> ip = ResolveHost("localhost", milliseconds(2000));
  REQUIRE(ip.ok());
  CHECK(ip.value() == "127.0.0.1");
}

TEST_CASE("a name that cannot exist fails with the host in the message, in bounded time") {
  auto start = std::chrono::steady_clock::now();
  Result<std::string> ip = ResolveHost("no-such-host.invalid", milliseconds(1500));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
  REQUIRE(!ip.ok());
  CHECK((ip.status().code() == Code::kUnavailable || ip.status().code() == Code::kTimeout));
  CHECK(ip.status().message().rfind("cannot resolve no-such-host.invalid: ", 0) == 0);
}

TEST_CASE("an empty host is invalid") {
  CHECK(ResolveHost("", milliseconds(100)).status().code() == Code::kInvalid);
}

}  // namespace registry
