// Folding repeated failed sign-ins into few audit rows: a bot at 15 tries a second would
// otherwise write (and fsync) a row for each, about 0.6 GB a day.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace registry {

// Per key (address and login): the first failure of each `interval` seconds gets its own audit
// row; later ones in that interval are only counted, and the count goes into the key's next
// row ("and 37 more since ..."). A count is written once the key fails again after the
// interval; one never followed by another failure stays in memory, and is lost at restart
// or when the table is full.
//
// Thread-safe: mu_ guards the table. At most max_keys keys of at most 256 bytes each.
class FailureDigest {
 public:
  explicit FailureDigest(int64_t interval = 600, size_t max_keys = 10000)
      : interval_(interval), max_keys_(max_keys) {}
  FailureDigest(const FailureDigest&) = delete;
  FailureDigest& operator=(const FailureDigest&) = delete;

  struct Folded {
    int64_t count = 0;  // failures of the key not written since its last row
    int64_t since = 0;  // time of the first of them (0 when count is 0)
  };

  // Whether the failure of `key` at `now` gets a row; if so, `*folded` is what the row must
  // also report (then forgotten here).
  bool Admit(std::string_view key, int64_t now, Folded* folded);

  size_t TrackedKeys() const;

 private:
  struct Entry {
    int64_t row_at = 0;  // when the key's last row was written
    Folded folded;
  };

  const int64_t interval_;
  const size_t max_keys_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
};

}  // namespace registry
