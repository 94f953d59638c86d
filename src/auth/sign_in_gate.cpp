// SignInGate: per-client and total counts of password checks in progress.
#include "auth/sign_in_gate.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>

namespace registry {

std::string ClientKey(std::string_view address) {
  std::string text(address.substr(0, 64));
  unsigned char v6[16];
  if (text.find(':') == std::string::npos || inet_pton(AF_INET6, text.c_str(), v6) != 1) {
    return text;
  }
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped, kMapped + 12, v6)) return text;  // an IPv4 client: keep it whole
  char prefix[32];
  std::snprintf(prefix, sizeof(prefix), "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", v6[0], v6[1],
                v6[2], v6[3], v6[4], v6[5], v6[6], v6[7]);
  return prefix;
}

Result<SignInGate::Ticket> SignInGate::Enter(std::string_view address) {
  std::string client = ClientKey(address);
  std::lock_guard<std::mutex> lock(mu_);
  if (total_ >= policy_.max_in_progress) {
    return Status::RateLimited("too many sign-ins in progress; try again in a second");
  }
  int& mine = by_client_[client];
  if (mine >= policy_.per_client) {
    return Status::RateLimited(
        "a sign-in from this address is already in progress; try again in a second");
  }
  ++mine;
  ++total_;
  return Ticket(this, std::move(client));
}

void SignInGate::Leave(const std::string& client) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_client_.find(client);
  if (it != by_client_.end() && --it->second <= 0) by_client_.erase(it);
  --total_;
}

int SignInGate::InProgress() const {
  std::lock_guard<std::mutex> lock(mu_);
  return total_;
}

}  // namespace registry
