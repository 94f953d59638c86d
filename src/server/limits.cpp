// Connection caps and the body budget.
#include "server/limits.h"

namespace registry {

ConnectionLimits::Admit ConnectionLimits::TryAdmit(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  if (open_ >= total_) return Admit::kServerFull;
  size_t& count = by_address_[address];
  if (count >= per_address_) return Admit::kAddressFull;
  ++count;
  ++open_;
  return Admit::kOk;
}

void ConnectionLimits::Release(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_address_.find(address);
  if (it == by_address_.end()) return;
  if (--it->second == 0) by_address_.erase(it);
  --open_;
}

size_t ConnectionLimits::open() const {
  std::lock_guard<std::mutex> lock(mu_);
  return open_;
}

bool BodyBudget::TryReserve(uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  if (bytes > capacity_ - used_) return false;
  used_ += bytes;
  return true;
}

void BodyBudget::Release(uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  used_ -= bytes <= used_ ? bytes : used_;
}

uint64_t BodyBudget::used() const {
  std::lock_guard<std::mutex> lock(mu_);
  return used_;
}

}  // namespace registry
