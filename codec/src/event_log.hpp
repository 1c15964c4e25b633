#pragma once
// events.jsonl: one JSON object per line on the session clock, from the closed catalogue in
// docs/recording-format.md. Lines are buffered and made durable (write + fsync) on flush,
// which hands the same batch to the observer for the database.

#include <filesystem>
#include <string_view>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include <rdpwarden/codec/recorder_observer.hpp>

#include "file_io.hpp"

namespace rdpwarden::codec {

class EventLog {
 public:
  // Opens (appending to) <dir>/events.jsonl.
  std::error_code open(const std::filesystem::path& dir);
  // Adds {"t":t,"kind":kind,...fields}. `fields` must be an object (or null).
  void add(SessionTime t, std::string_view kind, const nlohmann::json& fields);
  bool has_pending() const { return !pending_.empty(); }
  // Writes and fsyncs the buffered lines; on success `written` receives them.
  std::error_code flush(std::vector<EventRecord>& written);

  // The kinds of the closed catalogue.
  static bool known_kind(std::string_view kind);

 private:
  AppendFile file_;
  std::vector<EventRecord> pending_;
};

}  // namespace rdpwarden::codec
