// Tests for counting upstream requests.
#include "mirror/timed_fetcher.h"

#include <doctest/doctest.h>

#include "test_util/fake_fetcher.h"

namespace registry {

TEST_CASE("requests are counted and timed; no answer and 5xx count as failures") {
  FakeFetcher inner;
  inner.Put("http://up/a", "x");
  inner.SetDelay(std::chrono::milliseconds(20));
  TimedFetcher timed(&inner);
  CHECK(timed.Get({"http://up/a", ""})->status == 200);
  CHECK(timed.Get({"http://up/b", ""})->status == 404);
  inner.SetStatus(503);
  CHECK(timed.Get({"http://up/a", ""})->status == 503);
  inner.SetDown(true);
  CHECK(!timed.Get({"http://up/a", ""}).ok());
  FetchStats s = timed.stats();
  CHECK(s.requests == 4);
  CHECK(s.failures == 2);
  CHECK(s.seconds >= 0.08);
}

}  // namespace registry
