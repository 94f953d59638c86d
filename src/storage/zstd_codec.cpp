// zstd one-shot compression with libzstd; streaming decompression so the size bound holds
// even when a frame does not declare its content size.
#include "storage/zstd_codec.h"

#include <zstd.h>

#include <cstdlib>
#include <memory>

namespace registry {

std::string ZstdCompress(std::string_view data, int level) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level);
  // Compression into a ZSTD_compressBound buffer cannot fail but for memory exhaustion.
  if (ZSTD_isError(n)) std::abort();
  out.resize(n);
  return out;
}

Result<std::string> ZstdDecompress(std::string_view frame, size_t max_size) {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (!ctx) return Status::Internal("out of memory for zstd");
  std::string out;
  ZSTD_inBuffer in{frame.data(), frame.size(), 0};
  std::string chunk(ZSTD_DStreamOutSize(), '\0');
  size_t last = 1;
  while (in.pos < in.size) {
    ZSTD_outBuffer ob{chunk.data(), chunk.size(), 0};
    last = ZSTD_decompressStream(ctx.get(), &ob, &in);
    if (ZSTD_isError(last)) {
      return Status::Corrupt(std::string("invalid zstd data: ") + ZSTD_getErrorName(last));
    }
    if (out.size() + ob.pos > max_size) {
      return Status::TooLarge("zstd content exceeds " + std::to_string(max_size) + " bytes");
    }
    out.append(chunk.data(), ob.pos);
    if (last == 0 && in.pos < in.size) {
      return Status::Corrupt("invalid zstd data: trailing bytes after the frame");
    }
  }
  if (last != 0) return Status::Corrupt("invalid zstd data: the frame is truncated");
  return out;
}

}  // namespace registry
