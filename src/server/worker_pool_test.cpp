// Tests for the elastic worker pool: growth under blocking tasks, the cap, retirement.
#include "server/worker_pool.h"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

namespace registry {
namespace {

// A latch the tasks wait on, so they stay busy until the test releases them.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  void Wait() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [this] { return open; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu);
    open = true;
    cv.notify_all();
  }
};

// Polls `cond` for at most 5 s.
template <typename F>
bool Eventually(F cond) {
  for (int i = 0; i < 500; ++i) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return cond();
}

TEST_CASE("worker pool: blocked tasks never starve a new one while under the cap") {
  WorkerPoolOptions options;
  options.min_threads = 2;
  options.max_threads = 200;
  Gate gate;  // outlives the pool, whose threads may still be leaving Wait() when it goes
  WorkerPool pool(options);
  std::atomic<int> started{0};
  for (int i = 0; i < 150; ++i) {
    pool.Submit([&] {
      ++started;
      gate.Wait();  // like a keep-alive connection waiting for its next request
    });
  }
  CHECK(Eventually([&] { return started == 150; }));
  std::atomic<bool> ran{false};
  pool.Submit([&] { ran = true; });
  CHECK(Eventually([&] { return ran.load(); }));
  CHECK(pool.Threads() >= 151);
  gate.Open();
}

TEST_CASE("worker pool: at the cap, further tasks wait for a free worker") {
  WorkerPoolOptions options;
  options.min_threads = 1;
  options.max_threads = 3;
  Gate gate;  // outlives the pool, whose threads may still be leaving Wait() when it goes
  WorkerPool pool(options);
  std::atomic<int> started{0};
  for (int i = 0; i < 5; ++i) {
    pool.Submit([&] {
      ++started;
      gate.Wait();
    });
  }
  CHECK(Eventually([&] { return started == 3; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(started == 3);
  CHECK(pool.Threads() == 3);
  gate.Open();
  CHECK(Eventually([&] { return started == 5; }));
}

TEST_CASE("worker pool: idle workers above the minimum retire") {
  WorkerPoolOptions options;
  options.min_threads = 2;
  options.max_threads = 50;
  options.idle_timeout = std::chrono::milliseconds(50);
  Gate gate;  // outlives the pool, whose threads may still be leaving Wait() when it goes
  WorkerPool pool(options);
  std::atomic<int> started{0};
  for (int i = 0; i < 20; ++i) {
    pool.Submit([&] {
      ++started;
      gate.Wait();
    });
  }
  CHECK(Eventually([&] { return started == 20; }));
  CHECK(pool.Threads() >= 20);
  gate.Open();
  CHECK(Eventually([&] { return pool.Threads() == 2; }));
}

TEST_CASE("worker pool: Shutdown runs the queued tasks and joins every worker") {
  std::atomic<int> done{0};
  {
    WorkerPoolOptions options;
    options.min_threads = 1;
    options.max_threads = 1;
    WorkerPool pool(options);
    for (int i = 0; i < 100; ++i) pool.Submit([&] { ++done; });
    pool.Shutdown();
    CHECK(pool.Threads() == 0);
    pool.Submit([&] { ++done; });  // dropped
  }
  CHECK(done == 100);
}

}  // namespace
}  // namespace registry
