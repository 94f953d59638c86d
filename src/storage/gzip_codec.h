// gzip compression (zlib) for bodies sent precompressed: index files and the web UI's files.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace registry {

// A gzip member (RFC 1952) holding `data`, with no file name and a zero timestamp, so equal
// input gives equal bytes.
std::string GzipCompress(std::string_view data, int level = 9);

// The content of one gzip member; Corrupt if `gz` is not one. For tests and tools.
Result<std::string> GzipDecompress(std::string_view gz, size_t max_size);

// Whether an Accept-Encoding header value accepts gzip ("gzip", "gzip, br", "*", not
// "gzip;q=0").
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace registry
