#include "event_log.hpp"
#include <array>

#include "manifest.hpp"

namespace rdpwarden::codec {

bool EventLog::known_kind(std::string_view kind) {
  static constexpr std::array<std::string_view, 15> kKinds{
      "session.start", "session.end", "recording.start",  "recording.stop",
      "notice.shown",  "key",         "unicode",          "text",
      "click",         "resize",      "control",          "watch",
      "policy",        "layout",      "recording.failure"};
  for (auto k : kKinds)
    if (k == kind) return true;
  return false;
}

std::error_code EventLog::open(const std::filesystem::path& dir) {
  return file_.open(dir / kEventsFile, true);
}

void EventLog::add(SessionTime t, std::string_view kind, const nlohmann::json& fields) {
  nlohmann::ordered_json line;
  line["t"] = t.count();
  line["kind"] = kind;
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items())
      if (key != "t" && key != "kind") line[key] = value;
  }
  // Invalid UTF-8 (a hostile or broken client) is replaced, never a reason to lose the line.
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  pending_.push_back({t, std::string(kind), std::move(text)});
}

std::error_code EventLog::flush(std::vector<EventRecord>& written) {
  written.clear();
  if (pending_.empty()) return {};
  std::string block;
  for (const auto& e : pending_) {
    block += e.json;
    block += '\n';
  }
  if (auto ec = file_.write({reinterpret_cast<const std::uint8_t*>(block.data()), block.size()}))
    return ec;
  if (auto ec = file_.sync()) return ec;
  written.swap(pending_);
  pending_.clear();
  return {};
}

}  // namespace rdpwarden::codec
