// Status and Result<T>: how the runtime reports expected failures (validation, not found,
// conflict, ...) without exceptions. Exceptions are left for the truly exceptional.
#pragma once

#include <weft/abi.h>

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace weft {

// Stable error codes; the same numbers as the ABI's status codes. The HTTP layer maps each to
// one status in one place.
enum class Code : int32_t {
  kOk = WEFT_OK,
  kInvalid = WEFT_ERR_INVALID,
  kNotFound = WEFT_ERR_NOT_FOUND,
  kConflict = WEFT_ERR_CONFLICT,
  kUnavailable = WEFT_ERR_UNAVAILABLE,
  kCancelled = WEFT_ERR_CANCELLED,
  kTimeout = WEFT_ERR_TIMEOUT,
  kUnsupported = WEFT_ERR_UNSUPPORTED,
  kInternal = WEFT_ERR_INTERNAL,
  kNode = WEFT_ERR_NODE,
};

// A stable lower-case name for a code ("invalid", "not_found", ...).
const char* code_name(Code code);

class Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }
  static Status invalid(std::string m) { return {Code::kInvalid, std::move(m)}; }
  static Status not_found(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
  static Status unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
  static Status cancelled(std::string m) { return {Code::kCancelled, std::move(m)}; }
  static Status timeout(std::string m) { return {Code::kTimeout, std::move(m)}; }
  static Status unsupported(std::string m) { return {Code::kUnsupported, std::move(m)}; }
  static Status internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool is_ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid: <message>"
  std::string to_string() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status saying why there is none.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}                       // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}                 // NOLINT: implicit by design

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }
  // Precondition for value(): is_ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  // The error, or OK.
  Status status() const { return is_ok() ? Status() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace weft
