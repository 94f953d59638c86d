// Tests for the connection caps and the body budget.
#include "server/limits.h"

#include <doctest/doctest.h>

namespace registry {

TEST_CASE("ConnectionLimits: one address is capped, others still get in") {
  ConnectionLimits limits(/*per_address=*/2, /*total=*/3);
  CHECK(limits.TryAdmit("10.0.0.1") == ConnectionLimits::Admit::kOk);
  CHECK(limits.TryAdmit("10.0.0.1") == ConnectionLimits::Admit::kOk);
  CHECK(limits.TryAdmit("10.0.0.1") == ConnectionLimits::Admit::kAddressFull);
  CHECK(limits.TryAdmit("10.0.0.2") == ConnectionLimits::Admit::kOk);
  CHECK(limits.TryAdmit("10.0.0.3") == ConnectionLimits::Admit::kServerFull);
  CHECK(limits.open() == 3);
  limits.Release("10.0.0.1");
  CHECK(limits.TryAdmit("10.0.0.3") == ConnectionLimits::Admit::kOk);
  limits.Release("10.0.0.9");  // never admitted: ignored
  CHECK(limits.open() == 3);
}

TEST_CASE("ConnectionLimits: a refused connection is not counted") {
  ConnectionLimits limits(1, 10);
  CHECK(limits.TryAdmit("a") == ConnectionLimits::Admit::kOk);
  for (int i = 0; i < 100; ++i) CHECK(limits.TryAdmit("a") == ConnectionLimits::Admit::kAddressFull);
  limits.Release("a");
  CHECK(limits.open() == 0);
  CHECK(limits.TryAdmit("a") == ConnectionLimits::Admit::kOk);
}

TEST_CASE("BodyBudget: reservations past the capacity are refused until bytes are released") {
  BodyBudget budget(100);
  CHECK(budget.TryReserve(60));
  CHECK_FALSE(budget.TryReserve(41));
  REQUIRE(budget.TryReserve(40));
  {
    BodyReservation r(&budget, 40);  // adopts the 40 bytes just reserved
    CHECK(budget.used() == 100);
  }
  CHECK(budget.used() == 60);
  budget.Release(60);
  CHECK(budget.used() == 0);
  CHECK(budget.TryReserve(100));
  CHECK_FALSE(budget.TryReserve(1));
}

}  // namespace registry
