// Tests for SignInGate's per-client and total bounds and ClientKey.
#include "auth/sign_in_gate.h"

#include <doctest/doctest.h>

#include <optional>
#include <vector>

namespace registry {
namespace {

TEST_CASE("a second check from the same client is refused while the first runs") {
  SignInGate gate;
  std::optional<Result<SignInGate::Ticket>> first(gate.Enter("10.0.0.1"));
  REQUIRE(first->ok());
  Result<SignInGate::Ticket> second = gate.Enter("10.0.0.1");
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().code() == Code::kRateLimited);
  CHECK(gate.Enter("10.0.0.2").ok());  // another client is not held up
  first.reset();
  CHECK(gate.Enter("10.0.0.1").ok());
  CHECK(gate.InProgress() == 0);
}

TEST_CASE("checks of all clients together stay within max_in_progress") {
  SignInGatePolicy policy;
  policy.max_in_progress = 3;
  SignInGate gate(policy);
  std::vector<SignInGate::Ticket> held;
  for (const char* a : {"10.0.0.1", "10.0.0.2", "10.0.0.3"}) {
    Result<SignInGate::Ticket> t = gate.Enter(a);
    REQUIRE(t.ok());
    held.push_back(std::move(*t));
  }
  CHECK(gate.Enter("10.0.0.4").status().code() == Code::kRateLimited);
  held.pop_back();
  CHECK(gate.Enter("10.0.0.4").ok());
}

TEST_CASE("ClientKey groups an IPv6 /64 and keeps IPv4 addresses whole") {
  CHECK(ClientKey("10.1.2.3") == "10.1.2.3");
  CHECK(ClientKey("2001:db8:1:2:aaaa::1") == ClientKey("2001:db8:1:2:bbbb::2"));
  CHECK(ClientKey("2001:db8:1:2::1") != ClientKey("2001:db8:1:3::1"));
  CHECK(ClientKey("::ffff:10.1.2.3") != ClientKey("::ffff:10.1.2.4"));
  CHECK(ClientKey(std::string(1000, 'x')).size() == 64);
}

}  // namespace
}  // namespace registry
