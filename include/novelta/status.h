// Status and StatusOr: how the core reports failure without exceptions.
//
// A Status is either OK or carries a code and a message meant for a person
// ("submission.json: no abstract"). Callers at the edges (CLI, HTTP adapter)
// map codes to exit statuses and HTTP codes; the core never knows about either.
//
// Thread-safety: Status and StatusOr are values; const methods are safe to call
// concurrently, non-const ones need external synchronisation.
#ifndef NOVELTA_STATUS_H_
#define NOVELTA_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace novelta {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,   // the input is malformed or out of bounds
    kNotFound,          // a file, record or id does not exist
    kAlreadyExists,
    kIOError,           // reading or writing failed
    kCorruption,        // stored data fails a checksum or format check
    kResourceExhausted, // a queue, quota or limit is full
    kFailedPrecondition,// the system is not in a state to do this (e.g. not ready)
    kPermissionDenied,
    kUnauthenticated,
    kCancelled,
    kInternal,
  };

  Status() = default;  // OK

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string_view msg) { return Status(Code::kInvalidArgument, msg); }
  static Status NotFound(std::string_view msg) { return Status(Code::kNotFound, msg); }
  static Status AlreadyExists(std::string_view msg) { return Status(Code::kAlreadyExists, msg); }
  static Status IOError(std::string_view msg) { return Status(Code::kIOError, msg); }
  static Status Corruption(std::string_view msg) { return Status(Code::kCorruption, msg); }
  static Status ResourceExhausted(std::string_view msg) { return Status(Code::kResourceExhausted, msg); }
  static Status FailedPrecondition(std::string_view msg) { return Status(Code::kFailedPrecondition, msg); }
  static Status PermissionDenied(std::string_view msg) { return Status(Code::kPermissionDenied, msg); }
  static Status Unauthenticated(std::string_view msg) { return Status(Code::kUnauthenticated, msg); }
  static Status Cancelled(std::string_view msg) { return Status(Code::kCancelled, msg); }
  static Status Internal(std::string_view msg) { return Status(Code::kInternal, msg); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsIOError() const { return code_ == Code::kIOError; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }

  // "InvalidArgument: submission.json: no abstract", or "OK".
  std::string ToString() const;
  static const char* CodeName(Code code);

  // Returns a copy whose message is "<prefix>: <message>" (for adding context
  // such as a file name while an error travels up).
  Status WithPrefix(std::string_view prefix) const;

 private:
  Status(Code code, std::string_view msg) : code_(code), message_(msg) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Either a value or a non-OK Status.
template <typename T>
class StatusOr {
 public:
  StatusOr(const Status& status) : status_(status) { assert(!status.ok()); }  // NOLINT
  StatusOr(Status&& status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT
  StatusOr(const T& value) : value_(value) {}  // NOLINT
  StatusOr(T&& value) : value_(std::move(value)) {}  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const T& value() const& { assert(ok()); return *value_; }
  T& value() & { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace novelta

// Returns early from the enclosing function when `expr` is not OK.
#define NOVELTA_RETURN_IF_ERROR(expr)                 \
  do {                                                \
    ::novelta::Status _novelta_status = (expr);       \
    if (!_novelta_status.ok()) return _novelta_status;\
  } while (0)

#define NOVELTA_CONCAT_INNER_(a, b) a##b
#define NOVELTA_CONCAT_(a, b) NOVELTA_CONCAT_INNER_(a, b)
#define NOVELTA_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()
// `NOVELTA_ASSIGN_OR_RETURN(auto x, MakeX());`
#define NOVELTA_ASSIGN_OR_RETURN(lhs, expr) \
  NOVELTA_ASSIGN_OR_RETURN_IMPL_(NOVELTA_CONCAT_(_novelta_or_, __LINE__), lhs, expr)

#endif  // NOVELTA_STATUS_H_
