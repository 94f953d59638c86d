// Tests for the upstream index cache, with a fake upstream and a fake clock.
#include "mirror/index_cache.h"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "db/schema.h"
#include "test_util/fake_fetcher.h"
#include "test_util/temp_dir.h"

namespace registry {
namespace {

constexpr const char* kUp = "http://up/";
const std::string kUrl = "http://up/3/f/foo";
const std::string kV1 = R"({"name":"foo","vers":"1.0.0","rust_version":"1.60","x":[1]})"
                        "\n";
const std::string kV2 = kV1 + R"({"name":"foo","vers":"1.1.0"})"
                              "\n";

struct CacheFixture {
  CacheFixture() {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    REQUIRE(Migrate(db->get()).ok());
    upstream.Put(kUrl, kV1, "\"e1\"");
  }
  IndexCacheOptions Options() {
    IndexCacheOptions o;
    o.upstream = kUp;
    o.ttl_seconds = 600;
    o.missing_ttl_seconds = 60;
    o.wait = std::chrono::milliseconds(2000);
    return o;
  }
  TempDir dir;
  DatabasePool pool{dir.path() + "/registry.db"};
  FakeFetcher upstream;
  FakeClock clock{1000};
};

TEST_CASE_FIXTURE(CacheFixture, "a first read fetches upstream's bytes verbatim, then hits") {
  IndexCache cache(&pool, &upstream, &clock, Options());
  Result<MirrorIndexFile> f = cache.Read("foo");
  REQUIRE(f.ok());
  CHECK(f->body == kV1);
  CHECK(f->state == CacheState::kMiss);
  CHECK(f->etag.size() == 42);
  Result<MirrorIndexFile> again = cache.Read("foo");
  REQUIRE(again.ok());
  CHECK(again->state == CacheState::kHit);
  CHECK(again->etag == f->etag);
  CHECK(upstream.Requests(kUrl) == 1);
}

TEST_CASE_FIXTURE(CacheFixture, "after the TTL it is revalidated with If-None-Match") {
  IndexCache cache(&pool, &upstream, &clock, Options());
  REQUIRE(cache.Read("foo").ok());
  clock.Advance(601);
  Result<MirrorIndexFile> same = cache.Read("foo");
  REQUIRE(same.ok());
  CHECK(same->state == CacheState::kRevalidated);
  CHECK(same->body == kV1);
  CHECK(cache.Read("foo")->state == CacheState::kHit);  // the 304 renewed the TTL
  upstream.Put(kUrl, kV2, "\"e2\"");
  clock.Advance(601);
  Result<MirrorIndexFile> changed = cache.Read("foo");
  REQUIRE(changed.ok());
  CHECK(changed->state == CacheState::kRevalidated);
  CHECK(changed->body == kV2);
  CHECK(changed->etag != same->etag);
  CHECK(cache.counters().revalidations == 2);
}

TEST_CASE_FIXTURE(CacheFixture, "a stale copy is served while upstream is down") {
  IndexCache cache(&pool, &upstream, &clock, Options());
  REQUIRE(cache.Read("foo").ok());
  upstream.SetDown(true);
  clock.Advance(601);
  Result<MirrorIndexFile> f = cache.Read("foo");
  REQUIRE(f.ok());
  CHECK(f->state == CacheState::kStale);
  CHECK(f->body == kV1);
  CHECK(cache.last_error().first == kUrl + ": cannot connect");
}

TEST_CASE_FIXTURE(CacheFixture,
                  "an uncached crate with upstream down says upstream is unreachable") {
  IndexCache cache(&pool, &upstream, &clock, Options());
  upstream.SetDown(true);
  Result<MirrorIndexFile> f = cache.Read("foo");
  CHECK(f.status().code() == Code::kUnavailable);
  CHECK(f.status().message() ==
        "the crates.io upstream is unreachable and `foo` is not cached yet: " + kUrl +
            ": cannot connect");
}

TEST_CASE_FIXTURE(CacheFixture, "an upstream 5xx is a bad gateway, not a 404") {
  IndexCache cache(&pool, &upstream, &clock, Options());
  upstream.SetStatus(500);
  Result<MirrorIndexFile> f = cache.Read("foo");
  CHECK(f.status().code() == Code::kBadGateway);
  CHECK(f.status().message() == "the crates.io upstream failed and `foo` is not cached yet: " +
                                    kUrl + " answered HTTP 500");
}

TEST_CASE_FIXTURE(CacheFixture, "upstream's 404 is cached as missing for a short time") {
  IndexCache cache(&pool, &upstream, &clock, Options());
  Result<MirrorIndexFile> f = cache.Read("nope");
  CHECK(f.status().code() == Code::kNotFound);
  CHECK(f.status().message() == "crates.io has no crate named `nope`");
  CHECK(cache.Read("nope").status().code() == Code::kNotFound);
  CHECK(upstream.Requests("http://up/no/pe/nope") == 1);
  upstream.Put("http://up/no/pe/nope", kV1);
  clock.Advance(61);
  CHECK(cache.Read("nope").ok());
  CHECK(upstream.Requests("http://up/no/pe/nope") == 2);
}

TEST_CASE_FIXTURE(CacheFixture, "offline: cached files are served, others refused clearly") {
  {
    IndexCache online(&pool, &upstream, &clock, Options());
    REQUIRE(online.Read("foo").ok());
  }
  IndexCacheOptions o = Options();
  o.upstream = "";
  IndexCache cache(&pool, &upstream, &clock, o);
  clock.Advance(100000);
  Result<MirrorIndexFile> f = cache.Read("foo");
  REQUIRE(f.ok());
  CHECK(f->state == CacheState::kHit);
  Result<MirrorIndexFile> g = cache.Read("bar");
  CHECK(g.status().code() == Code::kUnavailable);
  CHECK(g.status().message() ==
        "the crates.io mirror is offline (--upstream off) and has no cached copy of `bar`");
  CHECK(upstream.Requests(kUrl) == 1);
}

TEST_CASE_FIXTURE(CacheFixture, "a slow upstream: the wait is bounded, stale served if cached") {
  IndexCacheOptions o = Options();
  o.wait = std::chrono::milliseconds(50);
  IndexCache cache(&pool, &upstream, &clock, o);
  upstream.SetDelay(std::chrono::milliseconds(300));
  Result<MirrorIndexFile> f = cache.Read("foo");
  CHECK(f.status().code() == Code::kTimeout);
  CHECK(f.status().message().find("did not answer within 50 ms for http://up/3/f/foo") !=
        std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  // The abandoned fetch finished and stored the file.
  Result<MirrorIndexFile> later = cache.Read("foo");
  REQUIRE(later.ok());
  CHECK(later->state == CacheState::kHit);
  clock.Advance(601);
  Result<MirrorIndexFile> stale = cache.Read("foo");
  REQUIRE(stale.ok());
  CHECK(stale->state == CacheState::kStale);
}

TEST_CASE_FIXTURE(CacheFixture, "concurrent misses cause one upstream fetch") {
  upstream.SetDelay(std::chrono::milliseconds(100));
  IndexCache cache(&pool, &upstream, &clock, Options());
  std::vector<std::thread> readers;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    readers.emplace_back([&] {
      if (cache.Read("foo").ok()) ++ok;
    });
  }
  for (auto& t : readers) t.join();
  CHECK(ok == 8);
  CHECK(upstream.Requests(kUrl) == 1);
}

}  // namespace
}  // namespace registry
