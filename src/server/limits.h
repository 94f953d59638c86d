// Bounds the front end holds every client to: connections per client address and in total,
// and the bytes of request bodies held in memory at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace registry {

// Thread-safe (one mutex). The table holds one entry per address with an open connection, so
// its size is bounded by the global cap.
class ConnectionLimits {
 public:
  ConnectionLimits(size_t per_address, size_t total) : per_address_(per_address), total_(total) {}

  enum class Admit { kOk, kAddressFull, kServerFull };
  // Counts a new connection from `address`, unless that would pass a cap (then nothing is
  // counted). Every kOk must be matched by one Release(address).
  Admit TryAdmit(const std::string& address);
  void Release(const std::string& address);

  size_t open() const;

 private:
  const size_t per_address_;
  const size_t total_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, size_t> by_address_;  // guarded by mu_
  size_t open_ = 0;                                     // guarded by mu_
};

// The bytes of request bodies held in memory at once, server-wide. Thread-safe (atomic).
class BodyBudget {
 public:
  explicit BodyBudget(uint64_t capacity) : capacity_(capacity) {}
  // Reserves `bytes`, or returns false and reserves nothing when that would pass the capacity.
  bool TryReserve(uint64_t bytes);
  void Release(uint64_t bytes);
  uint64_t used() const;

 private:
  const uint64_t capacity_;
  mutable std::mutex mu_;
  uint64_t used_ = 0;  // guarded by mu_
};

// Adopts bytes already reserved with TryReserve and releases them when destroyed or reset.
// Movable only.
class BodyReservation {
 public:
  BodyReservation() = default;
  BodyReservation(BodyBudget* budget, uint64_t bytes) : budget_(budget), bytes_(bytes) {}
  BodyReservation(BodyReservation&& other) noexcept { *this = std::move(other); }
  BodyReservation& operator=(BodyReservation&& other) noexcept {
    Reset();
    budget_ = other.budget_;
    bytes_ = other.bytes_;
    other.budget_ = nullptr;
    other.bytes_ = 0;
    return *this;
  }
  ~BodyReservation() { Reset(); }
  // Adopts `bytes` more, already reserved in the same budget.
  void Add(BodyBudget* budget, uint64_t bytes) {
    budget_ = budget;
    bytes_ += bytes;
  }
  void Reset() {
    if (budget_ && bytes_) budget_->Release(bytes_);
    budget_ = nullptr;
    bytes_ = 0;
  }

 private:
  BodyBudget* budget_ = nullptr;
  uint64_t bytes_ = 0;
};

}  // namespace registry
