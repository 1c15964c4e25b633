#include "pq/result.hpp"
#include <charconv>

#include <fmt/format.h>

#include <rdpwarden/storage/errors.hpp>

#include "pq/text_codec.hpp"

namespace rdpwarden::storage::pq {
namespace {

[[noreturn]] void bad_value(int row, int col, std::string_view type) {
  throw StorageError(
      fmt::format("database returned a malformed {} in row {} column {}", type, row, col));
}

}  // namespace

int Result::rows() const {
  return PQntuples(handle_.get());
}

std::int64_t Result::affected() const {
  const char* n = PQcmdTuples(handle_.get());
  std::int64_t value = 0;
  if (n && *n) std::from_chars(n, n + std::char_traits<char>::length(n), value);
  return value;
}

bool Result::is_null(int row, int col) const {
  return PQgetisnull(handle_.get(), row, col) != 0;
}

std::string_view Result::view(int row, int col) const {
  if (row < 0 || row >= rows() || col < 0 || col >= PQnfields(handle_.get()))
    throw StorageError(fmt::format("no row {} column {} in the result", row, col));
  return {PQgetvalue(handle_.get(), row, col),
          static_cast<std::size_t>(PQgetlength(handle_.get(), row, col))};
}

std::int64_t Result::int64(int row, int col) const {
  auto text = view(row, col);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) bad_value(row, col, "integer");
  return value;
}

std::optional<std::int64_t> Result::opt_int64(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return int64(row, col);
}

bool Result::boolean(int row, int col) const {
  auto text = view(row, col);
  if (text == "t") return true;
  if (text == "f") return false;
  bad_value(row, col, "boolean");
}

TimePoint Result::time(int row, int col) const {
  auto parsed = parse_timestamp(view(row, col));
  if (!parsed) bad_value(row, col, "timestamp");
  return *parsed;
}

std::optional<TimePoint> Result::opt_time(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return time(row, col);
}

std::vector<std::byte> Result::bytes(int row, int col) const {
  auto decoded = decode_bytea(view(row, col));
  if (!decoded) bad_value(row, col, "bytea");
  return std::move(*decoded);
}

std::vector<std::string> Result::text_array(int row, int col) const {
  if (is_null(row, col)) return {};
  auto parsed = parse_text_array(view(row, col));
  if (!parsed) bad_value(row, col, "array");
  return std::move(*parsed);
}

}  // namespace rdpwarden::storage::pq
