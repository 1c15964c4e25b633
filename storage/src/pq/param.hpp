#pragma once
// One query parameter, always sent out of line (never spliced into SQL). Text format except
// bytea, which goes binary so sealed blobs are not hex-encoded twice.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <rdpwarden/storage/model.hpp>

namespace rdpwarden::storage::pq {

class Param {
 public:
  Param(std::nullopt_t) {}  // NOLINT: SQL NULL
  Param(std::string_view text) : value_(text) {}
  Param(const std::string& text) : value_(text) {}
  Param(const char* text) : value_(std::string(text)) {}
  Param(std::int64_t number) : value_(std::to_string(number)) {}
  Param(int number) : value_(std::to_string(number)) {}
  Param(bool flag) : value_(flag ? "true" : "false") {}
  Param(const std::optional<std::string>& text) : value_(text) {}
  Param(const std::optional<std::int64_t>& number);
  Param(const std::optional<TimePoint>& time);

  static Param bytes(std::span<const std::byte> data);
  static Param time(TimePoint time);
  // A PostgreSQL array literal of text elements ('{"a","b"}'); cast it in SQL (::cidr[]).
  static Param text_array(const std::vector<std::string>& elements);

  bool is_null() const { return !value_.has_value(); }
  bool binary() const { return binary_; }
  const std::string& value() const { return *value_; }

 private:
  Param() = default;
  std::optional<std::string> value_;
  bool binary_ = false;
};

}  // namespace rdpwarden::storage::pq
