// Tests for single-flight task sharing.
#include "mirror/single_flight.h"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace registry {

using std::chrono::milliseconds;

TEST_CASE("concurrent callers for one key share one run of the task") {
  SingleFlight flights;
  std::atomic<int> runs{0};
  std::vector<std::thread> callers;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&] {
      Status st = flights.Run(
          "k",
          [&] {
            ++runs;
            std::this_thread::sleep_for(milliseconds(200));
            return Status::Ok();
          },
          milliseconds(5000));
      if (st.ok()) ++ok;
    });
  }
  for (auto& t : callers) t.join();
  CHECK(runs == 1);
  CHECK(ok == 8);
  CHECK(flights.started() == 1);
}

TEST_CASE("a caller's wait is bounded; the task finishes for later callers") {
  SingleFlight flights;
  std::atomic<bool> finished{false};
  Status st = flights.Run(
      "k",
      [&] {
        std::this_thread::sleep_for(milliseconds(300));
        finished = true;
        return Status::NotFound("gone");
      },
      milliseconds(20));
  CHECK(st.code() == Code::kTimeout);
  // A second caller joins the running task instead of starting another.
  Status again = flights.Run(
      "k", [] { return Status::Ok(); }, milliseconds(5000));
  CHECK(again.code() == Code::kNotFound);
  CHECK(finished);
  CHECK(flights.started() == 1);
}

TEST_CASE("different keys run independently, and a finished key runs again") {
  SingleFlight flights;
  CHECK(flights
            .Run(
                "a", [] { return Status::Ok(); }, milliseconds(5000))
            .ok());
  CHECK(flights
            .Run(
                "b", [] { return Status::Io("x"); }, milliseconds(5000))
            .code() == Code::kIo);
  CHECK(flights
            .Run(
                "a", [] { return Status::Ok(); }, milliseconds(5000))
            .ok());
  CHECK(flights.started() == 3);
}

}  // namespace registry
