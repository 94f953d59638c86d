// Prefetching locked crates through the mirror.
#include "mirror/prefetch.h"


#include "base/ascii.h"
#include "mirror/index_lookup.h"

namespace registry {

PrefetchReport Prefetch(Mirror* mirror, const std::vector<LockedCrate>& crates,
                        const std::function<void(size_t, size_t, const LockedCrate&)>& progress) {
  PrefetchReport report;
  Actor cli = Actor::ForCli();
  for (size_t i = 0; i < crates.size(); ++i) {
    const LockedCrate& c = crates[i];
    if (progress) progress(i, crates.size(), c);
    std::string label = c.name + " " + c.version + ": ";
    std::string lower = AsciiLower(c.name);
    Result<MirrorIndexFile> index = mirror->ReadIndexFile(cli, lower);
    if (!index.ok()) {
      report.errors.push_back(label + index.status().message());
      continue;
    }
    Result<std::string> cksum = FindIndexCksum(index->body, c.version);
    if (cksum.ok() && !c.checksum.empty() && *cksum != c.checksum) {
      report.errors.push_back(label + "the lock file's checksum " + c.checksum +
                              " differs from the index's " + *cksum);
      continue;
    }
    int64_t before = mirror->crates().fetches();
    Result<StoredCrateFile> file = mirror->OpenCrate(cli, c.name, c.version);
    if (!file.ok()) {
      report.errors.push_back(label + file.status().message());
      continue;
    }
    ++(mirror->crates().fetches() > before ? report.fetched : report.cached);
  }
  return report;
}

}  // namespace registry
