// Measuring the data directory for the disk-usage metrics.
#include "app/data_dir_usage.h"

#include <filesystem>

namespace registry {

Result<DataDirUsage> MeasureDataDir(const std::string& data_dir) {
  namespace fs = std::filesystem;
  DataDirUsage usage;
  std::error_code ec;
  fs::recursive_directory_iterator it(data_dir + "/blobs", ec), end;
  if (ec) return Status::Io("cannot read " + data_dir + "/blobs: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return Status::Io("cannot read " + data_dir + "/blobs: " + ec.message());
    std::error_code size_ec;
    if (!it->is_regular_file(size_ec)) continue;
    uintmax_t size = it->file_size(size_ec);
    if (!size_ec) usage.blob_bytes += size;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code size_ec;
    uintmax_t size = fs::file_size(data_dir + "/registry.db" + suffix, size_ec);
    if (!size_ec) usage.database_bytes += size;
  }
  return usage;
}

}  // namespace registry
