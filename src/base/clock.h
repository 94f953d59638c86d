// The wall clock, behind an interface so tests can fake time.
#pragma once

#include <cstdint>

namespace registry {

class Clock {
 public:
  virtual ~Clock() = default;
  // Unix seconds, UTC.
  virtual int64_t Now() const = 0;
};

// The real clock. Thread-safe.
const Clock& SystemClock();

// A clock tests set by hand. Not thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t now) : now_(now) {}
  int64_t Now() const override { return now_; }
  void Set(int64_t now) { now_ = now; }
  void Advance(int64_t seconds) { now_ += seconds; }

 private:
  int64_t now_;
};

}  // namespace registry
