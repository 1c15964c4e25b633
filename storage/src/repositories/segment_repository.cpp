#include <fmt/format.h>

#include <rdpwarden/storage/database.hpp>
#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/segment_repository.hpp>

#include "pq/connection.hpp"
#include "validation.hpp"

namespace rdpwarden::storage {

void SegmentRepository::add(std::string_view session_id, const SegmentRecord& s) {
  if (!is_uuid(session_id)) throw NotFound(fmt::format("no session {}", session_id.substr(0, 40)));
  try {
    db_.connection().exec(
        "INSERT INTO segments (session_id, idx, file, init_file, start_ms, duration_ms, bytes, "
        "sha256, chain) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        {session_id, s.index, s.file, s.init_file, s.start_ms, s.duration_ms, s.bytes, s.sha256,
         s.chain});
  } catch (const AlreadyExists&) {
    throw AlreadyExists(
        fmt::format("segment {} of session {} already exists", s.index, session_id));
  } catch (const ConstraintViolation& e) {
    if (e.sqlstate() == "23503") throw NotFound(fmt::format("no session {}", session_id));
    throw InvalidInput(
        fmt::format("segment {} of session {} is malformed (index from 1, sizes and "
                    "times not negative, hashes as 64 lowercase hex digits)",
                    s.index, session_id));
  }
}

std::vector<SegmentRecord> SegmentRepository::list(std::string_view session_id) {
  if (!is_uuid(session_id)) return {};
  auto r = db_.connection().exec(
      "SELECT idx, file, init_file, start_ms, duration_ms, bytes, sha256, chain FROM segments "
      "WHERE session_id = $1 ORDER BY idx",
      {session_id});
  std::vector<SegmentRecord> segments;
  for (int i = 0; i < r.rows(); ++i)
    segments.push_back({static_cast<int>(r.int64(i, 0)), r.text(i, 1), r.text(i, 2), r.int64(i, 3),
                        r.int64(i, 4), r.int64(i, 5), r.text(i, 6), r.text(i, 7)});
  return segments;
}

}  // namespace rdpwarden::storage
