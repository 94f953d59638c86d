// The dependency-confusion guard: the crates.io view never serves a crate whose name is, or
// is reserved for, a private crate.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/actor.h"
#include "base/status.h"
#include "db/sqlite.h"

namespace registry {

// Thread-safe; `pool` must outlive it.
class NameGuard {
 public:
  // `private_patterns`: names or `prefix-*` patterns (as token crate patterns) reserved for
  // private crates before any exists. `registry_name`: what users call the private registry
  // in their cargo config, for the message.
  NameGuard(DatabasePool* pool, std::vector<std::string> private_patterns,
            std::string registry_name);

  // Ok when the crates.io view may serve `name`. NotFound, naming the private crate and the
  // `registry = "..."` line to use, when a private crate has the same canonical name or a
  // pattern reserves it, unless an admin allowed the name.
  Status Check(std::string_view name) const;

  // Lets the crates.io view serve `name` although it is private (`registry mirror allow`).
  // Administrators and the command line only; audited.
  Status Allow(const Actor& actor, std::string_view name, int64_t now);
  Status Disallow(const Actor& actor, std::string_view name, int64_t now);
  // The allowed names (canonical form), sorted.
  Result<std::vector<std::string>> Allowed() const;

 private:
  DatabasePool* pool_;
  std::vector<std::string> patterns_;
  std::string registry_name_;
};

}  // namespace registry
