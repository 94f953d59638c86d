// zstd compression for stored data that compresses well (rendered READMEs, backups).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace registry {

// One zstd frame holding `data`, at `level` (1 fastest .. 19 smallest).
std::string ZstdCompress(std::string_view data, int level = 3);

// The content of one zstd frame. Corrupt when `frame` is not valid zstd; TooLarge when the
// content would exceed `max_size` (a bound against decompression bombs).
Result<std::string> ZstdDecompress(std::string_view frame, size_t max_size);

}  // namespace registry
