// How many bytes a data directory's blobs and database take on disk.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace registry {

struct DataDirUsage {
  uint64_t blob_bytes = 0;      // the sizes of the files under DIR/blobs
  uint64_t database_bytes = 0;  // DIR/registry.db with its -wal and -shm files
};

// Walks DIR/blobs (one stat per stored .crate file) and sizes the database files. Files that
// vanish during the walk are skipped. Io when DIR/blobs cannot be read.
Result<DataDirUsage> MeasureDataDir(const std::string& data_dir);

}  // namespace registry
