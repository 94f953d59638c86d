// Where an import finds a version's .crate: a local directory or the source's `dl` URL.
#pragma once

#include <functional>
#include <string>

#include "base/status.h"
#include "mirror/fetcher.h"

namespace registry {

// name, vers, cksum -> the .crate's bytes.
using CrateLoader =
    std::function<Result<std::string>(const std::string&, const std::string&, const std::string&)>;

// Reads DIR/{name}-{vers}.crate, else DIR/{name}/{vers}/download (a `dl` tree copied to disk).
// NotFound naming both paths when neither exists.
CrateLoader DirCrateLoader(std::string dir);

// GETs the `dl` template expanded for the version (ExpandDlTemplate), with `token` as the
// Authorization header when not empty. `fetcher` must outlive the loader.
CrateLoader HttpCrateLoader(Fetcher* fetcher, std::string dl, std::string token);

// A whole file; NotFound when it does not exist.
Result<std::string> ReadWholeFile(const std::string& path);

}  // namespace registry
