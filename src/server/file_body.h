// Opening the file a response streams, and narrowing it to the request's single Range.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "http/message.h"

namespace registry {

// An open file and the part of it to send. Owns the descriptor.
class FileBody {
 public:
  FileBody() = default;
  FileBody(FileBody&& other) noexcept { *this = std::move(other); }
  FileBody& operator=(FileBody&& other) noexcept;
  ~FileBody();

  bool open() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  uint64_t offset() const { return offset_; }
  uint64_t length() const { return length_; }
  void Advance(uint64_t n) { offset_ += n; length_ -= n < length_ ? n : length_; }

  // Reads the part to send into `*out` (for a small file, sent with the head in one write);
  // false, with `*out` empty, when the file gives fewer bytes or fails.
  bool ReadAll(std::string* out) const;

  // Opens `res->file_path` and applies `range` (the request's Range header, "" when none):
  // 206 with Content-Range for one satisfiable range, 416 for an unsatisfiable one, else the
  // whole file with Accept-Ranges. When the file cannot be opened, *res becomes a 500 whose
  // detail says so (the path goes to the server log only) and nothing is opened.
  static FileBody Open(HttpResponse* res, std::string_view range);

 private:
  int fd_ = -1;
  uint64_t offset_ = 0;
  uint64_t length_ = 0;
};

}  // namespace registry
