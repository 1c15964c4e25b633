#pragma once
// A session's event log in the database (the same events as its events.jsonl), for search and
// the player's timeline. Text events are indexed for the session search.

#include <span>
#include <string_view>
#include <vector>

#include <rdpwarden/storage/model.hpp>

namespace rdpwarden::storage {

class Database;

class EventRepository {
 public:
  explicit EventRepository(Database& db) : db_(db) {}

  // One statement for the whole batch. Throws NotFound (session), InvalidInput (a kind that is
  // not a catalogue name, data that is not a JSON object, a negative time).
  void append(std::string_view session_id, std::span<const EventRecord> events);
  // Ordered by time, then insertion.
  std::vector<StoredEvent> list(std::string_view session_id, const EventQuery& query = {});

 private:
  Database& db_;
};

}  // namespace rdpwarden::storage
