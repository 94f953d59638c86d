// Tests for FailureLimiter's back-off schedule, expiry and memory bound, on a fake clock.
#include "auth/failure_limiter.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "base/clock.h"

namespace registry {
namespace {

constexpr int64_t kStart = 1700000000;

void Fail(FailureLimiter* limiter, std::string_view key, int times) {
  for (int i = 0; i < times; ++i) limiter->RecordFailure(key);
}

TEST_CASE("the first five failures do not block") {
  FakeClock clock(kStart);
  FailureLimiter limiter(&clock);
  CHECK(limiter.RetryAfter("10.0.0.1") == 0);
  for (int i = 1; i <= 5; ++i) {
    CAPTURE(i);
    limiter.RecordFailure("10.0.0.1");
    CHECK(limiter.RetryAfter("10.0.0.1") == 0);
  }
  limiter.RecordFailure("10.0.0.1");
  CHECK(limiter.RetryAfter("10.0.0.1") == 1);
}

TEST_CASE("the delay doubles with each further failure up to max_delay") {
  FakeClock clock(kStart);
  FailureLimiter limiter(&clock);
  Fail(&limiter, "10.0.0.1", 5);
  const int64_t expected[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300};
  for (int64_t delay : expected) {
    CAPTURE(delay);
    limiter.RecordFailure("10.0.0.1");
    CHECK(limiter.RetryAfter("10.0.0.1") == delay);
    clock.Advance(delay);  // wait it out, as a well-behaved client would
    CHECK(limiter.RetryAfter("10.0.0.1") == 0);
  }
}

TEST_CASE("a huge failure count stays capped at max_delay") {
  FakeClock clock(kStart);
  FailureLimiter limiter(&clock, BackoffPolicy{0, 1, 300, 900, 100});
  Fail(&limiter, "k", 200);
  CHECK(limiter.RetryAfter("k") == 300);
}

TEST_CASE("a blocked key counts down and unblocks after its delay") {
  FakeClock clock(kStart);
  FailureLimiter limiter(&clock);
  Fail(&limiter, "10.0.0.1", 9);  // the fourth delayed failure: 8 seconds
  CHECK(limiter.RetryAfter("10.0.0.1") == 8);
  clock.Advance(3);
  CHECK(limiter.RetryAfter("10.0.0.1") == 5);
  clock.Advance(4);
  CHECK(limiter.RetryAfter("10.0.0.1") == 1);
  clock.Advance(1);
  CHECK(limiter.RetryAfter("10.0.0.1") == 0);
}

TEST_CASE("a key with no failure for forget_after seconds starts over") {
  FakeClock clock(kStart);
  FailureLimiter limiter(&clock);
  Fail(&limiter, "10.0.0.1", 8);
  clock.Advance(899);
  limiter.RecordFailure("10.0.0.1");  // still remembered: the ninth failure, 8 seconds
  CHECK(limiter.RetryAfter("10.0.0.1") == 8);

  clock.Advance(900);
  CHECK(limiter.RetryAfter("10.0.0.1") == 0);
  Fail(&limiter, "10.0.0.1", 5);  // counts from one again: all free
  CHECK(limiter.RetryAfter("10.0.0.1") == 0);
  limiter.RecordFailure("10.0.0.1");
  CHECK(limiter.RetryAfter("10.0.0.1") == 1);
}

TEST_CASE("keys are counted independently") {
  FakeClock clock(kStart);
  FailureLimiter limiter(&clock);
  Fail(&limiter, "10.0.0.1", 7);
  Fail(&limiter, "10.0.0.2", 5);
  CHECK(limiter.RetryAfter("10.0.0.1") == 2);
  CHECK(limiter.RetryAfter("10.0.0.2") == 0);
  CHECK(limiter.RetryAfter("10.0.0.3") == 0);
  CHECK(limiter.TrackedKeys() == 2);
}

TEST_CASE("Reset forgets a key's failures") {
  FakeClock clock(kStart);
  FailureLimiter limiter(&clock);
  Fail(&limiter, "10.0.0.1", 10);
  Fail(&limiter, "10.0.0.2", 10);
  limiter.Reset("10.0.0.1");
  limiter.Reset("never seen");
  CHECK(limiter.RetryAfter("10.0.0.1") == 0);
  CHECK(limiter.RetryAfter("10.0.0.2") == 16);
  CHECK(limiter.TrackedKeys() == 1);
  Fail(&limiter, "10.0.0.1", 5);
  CHECK(limiter.RetryAfter("10.0.0.1") == 0);
}

TEST_CASE("tracked keys stay within max_keys under 20000 distinct keys") {
  FakeClock clock(kStart);
  FailureLimiter limiter(&clock);
  for (int i = 0; i < 20000; ++i) {
    limiter.RecordFailure("key-" + std::to_string(i));
    if (i % 100 == 0) clock.Advance(1);
  }
  CHECK(limiter.TrackedKeys() == 10000);
  // The most recent failures are the ones kept.
  Fail(&limiter, "key-19999", 5);
  CHECK(limiter.RetryAfter("key-19999") == 1);
}

TEST_CASE("when full, the key whose last failure is oldest is dropped") {
  FakeClock clock(kStart);
  FailureLimiter limiter(&clock, BackoffPolicy{1, 10, 300, 900, 3});
  Fail(&limiter, "a", 2);
  clock.Advance(1);
  Fail(&limiter, "b", 2);
  clock.Advance(1);
  Fail(&limiter, "c", 2);
  clock.Advance(1);
  limiter.RecordFailure("a");  // a failed most recently now; b is the oldest
  limiter.RecordFailure("d");
  CHECK(limiter.TrackedKeys() == 3);
  CHECK(limiter.RetryAfter("b") == 0);
  CHECK(limiter.RetryAfter("a") == 20);
  CHECK(limiter.RetryAfter("c") == 9);
}

TEST_CASE("expired keys are dropped before live ones") {
  FakeClock clock(kStart);
  FailureLimiter limiter(&clock, BackoffPolicy{1, 10, 300, 900, 100});
  Fail(&limiter, "old-1", 1);
  Fail(&limiter, "old-2", 1);
  clock.Advance(900);
  Fail(&limiter, "new", 2);
  CHECK(limiter.TrackedKeys() == 1);
  CHECK(limiter.RetryAfter("new") == 10);
}

TEST_CASE("a policy with first_delay 0 never blocks") {
  FakeClock clock(kStart);
  FailureLimiter limiter(&clock, BackoffPolicy{0, 0, 300, 900, 10000});
  Fail(&limiter, "10.0.0.1", 1000);
  CHECK(limiter.RetryAfter("10.0.0.1") == 0);
  CHECK(limiter.TrackedKeys() == 0);
}

TEST_CASE("huge keys are held only up to max_key_size bytes") {
  FakeClock clock(kStart);
  FailureLimiter limiter(&clock);
  for (int i = 0; i < 10; ++i) {
    std::string key = "10.0.0.1|" + std::to_string(i) + std::string(8 << 20, 'x');
    limiter.RecordFailure(key);
  }
  CHECK(limiter.TrackedKeys() == 10);
  CHECK(limiter.KeyBytes() <= 10 * BackoffPolicy{}.max_key_size);
  // The cut key still counts its failures.
  std::string key = "10.0.0.2|" + std::string(1 << 20, 'y');
  Fail(&limiter, key, 6);
  CHECK(limiter.RetryAfter(key) == 1);
}

}  // namespace
}  // namespace registry
