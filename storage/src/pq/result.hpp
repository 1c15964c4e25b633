#pragma once
// An immutable query result, freed by RAII. Columns are read by index in text format; a value
// that does not parse as the type asked for is a StorageError (the schema guarantees types, so
// this means a bug, not bad input).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rdpwarden/storage/model.hpp>

#include "pq/pq_handles.hpp"

namespace rdpwarden::storage::pq {

class Result {
 public:
  explicit Result(ResultHandle handle) : handle_(std::move(handle)) {}

  int rows() const;
  bool empty() const { return rows() == 0; }
  std::int64_t affected() const;  // rows an INSERT/UPDATE/DELETE touched

  bool is_null(int row, int col) const;
  std::string_view view(int row, int col) const;
  std::string text(int row, int col) const { return std::string(view(row, col)); }
  std::int64_t int64(int row, int col) const;
  std::optional<std::int64_t> opt_int64(int row, int col) const;
  bool boolean(int row, int col) const;
  TimePoint time(int row, int col) const;
  std::optional<TimePoint> opt_time(int row, int col) const;
  std::vector<std::byte> bytes(int row, int col) const;
  std::vector<std::string> text_array(int row, int col) const;

 private:
  ResultHandle handle_;
};

}  // namespace rdpwarden::storage::pq
