// Files behind download responses.
#include "server/file_body.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "server/error_response.h"
#include "server/range.h"

namespace registry {

FileBody& FileBody::operator=(FileBody&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    offset_ = other.offset_;
    length_ = other.length_;
    other.fd_ = -1;
    other.length_ = 0;
  }
  return *this;
}

FileBody::~FileBody() {
  if (fd_ >= 0) ::close(fd_);
}

bool FileBody::ReadAll(std::string* out) const {
  out->resize(length_);
  size_t done = 0;
  while (done < length_) {
    ssize_t n =
        ::pread(fd_, out->data() + done, length_ - done, static_cast<off_t>(offset_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      out->clear();
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

FileBody FileBody::Open(HttpResponse* res, std::string_view range) {
  FileBody body;
  body.fd_ = ::open(res->file_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (body.fd_ < 0) {
    std::fprintf(stderr, "error: cannot open %s to send it: %s\n", res->file_path.c_str(),
                 std::strerror(errno));
    HttpResponse error =
        ErrorResponse(500, "the stored file could not be read; the server log has the details");
    error.route = std::move(res->route);
    error.user = std::move(res->user);
    *res = std::move(error);
    return FileBody();
  }
  body.length_ = res->file_size;
  res->SetHeader("Accept-Ranges", "bytes");
  if (range.empty() || res->status != 200) return body;
  ByteRange part;
  switch (ParseRange(range, res->file_size, &part)) {
    case RangeKind::kNone:
      break;
    case RangeKind::kSatisfiable:
      res->status = 206;
      res->SetHeader("Content-Range", "bytes " + std::to_string(part.first) + "-" +
                                          std::to_string(part.first + part.length - 1) + "/" +
                                          std::to_string(res->file_size));
      body.offset_ = part.first;
      body.length_ = part.length;
      break;
    case RangeKind::kUnsatisfiable: {
      HttpResponse error = ErrorResponse(416, "the requested range is outside the file");
      error.SetHeader("Content-Range", "bytes */" + std::to_string(res->file_size));
      error.route = std::move(res->route);
      error.user = std::move(res->user);
      *res = std::move(error);
      return FileBody();
    }
  }
  return body;
}

}  // namespace registry
