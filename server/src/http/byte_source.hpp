// Where request bytes come from: the connection's buffered socket, or a string in tests. A
// source never throws: it ends early and says why through failure().
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace weft::http {

class ByteSource {
 public:
  enum class Failure {
    kNone,     // no failure: -1/0 means the peer ended the input
    kTimeout,  // the peer sent nothing for too long, or the request deadline passed
    kBroken,   // the connection failed
  };

  virtual ~ByteSource() = default;
  // The next byte (0..255), or -1 when the input ended or failed.
  virtual int get() = 0;
  // Reads up to `size` bytes into `buffer`; returns how many (0 when the input ended or failed).
  virtual size_t read(char* buffer, size_t size) = 0;
  virtual Failure failure() const = 0;
};

// A source over bytes held in memory (the bytes must outlive the source).
class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string_view bytes) : bytes_(bytes) {}
  int get() override { return pos_ < bytes_.size() ? static_cast<unsigned char>(bytes_[pos_++]) : -1; }
  size_t read(char* buffer, size_t size) override {
    size_t n = std::min(size, bytes_.size() - pos_);
    bytes_.copy(buffer, n, pos_);
    pos_ += n;
    return n;
  }
  Failure failure() const override { return Failure::kNone; }
  // Bytes not read yet.
  size_t remaining() const { return bytes_.size() - pos_; }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace weft::http
