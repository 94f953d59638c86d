// Status and Result<T>: errors as values, in the style of leveldb's Status.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace registry {

// The kinds of failure the registry distinguishes. The HTTP layer maps each to one status
// code in exactly one place (src/http/error_reply.cpp).
enum class Code {
  kOk,
  kInvalid,       // malformed or unacceptable input (400)
  kNotFound,      // (404)
  kUnauthorized,  // missing or unknown credentials (401 on index/download, 403 on API)
  kForbidden,     // authenticated but not allowed (403)
  kConflict,      // already exists (409)
  kTooLarge,      // over a size limit (413)
  kIo,            // filesystem or database failure (500)
  kCorrupt,       // stored data does not match its checksum (500)
  kNoSpace,       // disk full (507)
  kRateLimited,   // too many failed attempts from one client; retry later (429)
  kInternal,      // a bug (500)
  kBadGateway,    // an upstream server answered wrongly, e.g. with bad bytes (502)
  kUnavailable,   // an upstream server cannot be reached (503)
  kTimeout,       // an upstream server did not answer in time (504)
};

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Invalid(std::string msg) { return Status(Code::kInvalid, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Unauthorized(std::string msg) {
    return Status(Code::kUnauthorized, std::move(msg));
  }
  static Status Forbidden(std::string msg) { return Status(Code::kForbidden, std::move(msg)); }
  static Status Conflict(std::string msg) { return Status(Code::kConflict, std::move(msg)); }
  static Status TooLarge(std::string msg) { return Status(Code::kTooLarge, std::move(msg)); }
  static Status Io(std::string msg) { return Status(Code::kIo, std::move(msg)); }
  static Status Corrupt(std::string msg) { return Status(Code::kCorrupt, std::move(msg)); }
  static Status NoSpace(std::string msg) { return Status(Code::kNoSpace, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }
  static Status RateLimited(std::string msg) { return Status(Code::kRateLimited, std::move(msg)); }
  static Status BadGateway(std::string msg) { return Status(Code::kBadGateway, std::move(msg)); }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }
  static Status Timeout(std::string msg) { return Status(Code::kTimeout, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status saying why there is none. Never holds an ok Status without a value.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

// Returns early from the enclosing function when `expr` (a Status) is not ok.
#define RETURN_IF_ERROR(expr)        \
  do {                               \
    ::registry::Status _st = (expr); \
    if (!_st.ok()) return _st;       \
  } while (0)

}  // namespace registry
