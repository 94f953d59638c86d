// Tests for FailureDigest: one row per key and interval, counts carried into the next row.
#include "audit/failure_digest.h"

#include <doctest/doctest.h>

#include <string>

namespace registry {
namespace {

TEST_CASE("repeated failures of one key in an interval are counted into its next row") {
  FailureDigest digest(600);
  FailureDigest::Folded f;
  CHECK(digest.Admit("10.0.0.1|bob", 1000, &f));
  CHECK(f.count == 0);
  for (int64_t t = 1001; t < 1100; ++t) CHECK_FALSE(digest.Admit("10.0.0.1|bob", t, &f));
  CHECK(digest.Admit("10.0.0.2|bob", 1100, &f));  // another key has its own row
  CHECK(digest.Admit("10.0.0.1|bob", 1600, &f));
  CHECK(f.count == 99);
  CHECK(f.since == 1001);
  CHECK_FALSE(digest.Admit("10.0.0.1|bob", 1601, &f));
}

TEST_CASE("the table stays within max_keys") {
  FailureDigest digest(600, 100);
  FailureDigest::Folded f;
  for (int i = 0; i < 1000; ++i) {
    CHECK(digest.Admit("10.0.0.1|" + std::to_string(i) + std::string(10000, 'x'), 1000, &f));
  }
  CHECK(digest.TrackedKeys() <= 100);
  // Once the interval is over, old keys make room again.
  CHECK(digest.Admit("10.0.0.9|new", 2000, &f));
  CHECK(digest.TrackedKeys() == 1);
}

}  // namespace
}  // namespace registry
