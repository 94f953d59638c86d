// Admission of password checks: each costs a scrypt hash (slow on purpose, two at a time per
// process), so no client may queue many of them ahead of everyone else.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"

namespace registry {

struct SignInGatePolicy {
  int per_client = 1;        // checks of one client (address, or IPv6 /64) in progress at once
  int max_in_progress = 16;  // of all clients together, waiting for a hash slot included
};

// Thread-safe: mu_ guards the counts. Holds at most max_in_progress entries, so its memory is
// bounded whatever clients send.
class SignInGate {
 public:
  explicit SignInGate(SignInGatePolicy policy = {}) : policy_(policy) {}
  SignInGate(const SignInGate&) = delete;
  SignInGate& operator=(const SignInGate&) = delete;

  // One admitted check; leaving its scope lets the next one in.
  class Ticket {
   public:
    Ticket(Ticket&& other) noexcept : gate_(other.gate_), client_(std::move(other.client_)) {
      other.gate_ = nullptr;
    }
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (gate_) gate_->Leave(client_);
    }

   private:
    friend class SignInGate;
    Ticket(SignInGate* gate, std::string client) : gate_(gate), client_(std::move(client)) {}
    SignInGate* gate_;
    std::string client_;
  };

  // A ticket when a check from `address` may start now; RateLimited when that client already
  // has per_client checks in progress, or all clients together max_in_progress. Never waits:
  // the refused client retries, and a client elsewhere is not stuck behind it.
  Result<Ticket> Enter(std::string_view address);

  int InProgress() const;

 private:
  void Leave(const std::string& client);

  const SignInGatePolicy policy_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, int> by_client_;  // guarded by mu_
  int total_ = 0;                                   // guarded by mu_
};

// The client an address stands for: an IPv4 address as is, an IPv6 address by its /64 (one
// subscriber usually holds a whole /64), anything else cut to 64 bytes.
std::string ClientKey(std::string_view address);

}  // namespace registry
