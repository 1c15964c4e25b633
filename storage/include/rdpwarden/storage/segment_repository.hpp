#pragma once
// A session's recorded segments (the same list as its manifest.json), committed by the recorder
// after each segment file is durable.

#include <string_view>
#include <vector>

#include <rdpwarden/storage/model.hpp>

namespace rdpwarden::storage {

class Database;

class SegmentRepository {
 public:
  explicit SegmentRepository(Database& db) : db_(db) {}

  // Throws NotFound (session), AlreadyExists (index taken), InvalidInput.
  void add(std::string_view session_id, const SegmentRecord& segment);
  std::vector<SegmentRecord> list(std::string_view session_id);  // by index

 private:
  Database& db_;
};

}  // namespace rdpwarden::storage
