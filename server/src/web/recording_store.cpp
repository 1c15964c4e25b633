#include "web/recording_store.hpp"
#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace rdpwarden::server::web {
namespace {

using nlohmann::json;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool plausible_init(std::string_view n) {
  if (n == "init.mp4") return true;
  return n.starts_with("init-") && n.ends_with(".mp4") && n.size() <= 20 &&
         all_digits(n.substr(5, n.size() - 9));
}

bool plausible_segment(std::string_view n) {
  return n.starts_with("seg-") && n.ends_with(".m4s") && n.size() >= 14 && n.size() <= 24 &&
         all_digits(n.substr(4, n.size() - 8));
}

bool plausible_thumb(std::string_view n) {
  return n.starts_with("thumbs/t-") && n.ends_with(".jpg") && n.size() >= 21 && n.size() <= 32 &&
         all_digits(n.substr(9, n.size() - 13));
}

// A string field that may be missing or null (end_reason is null while a session runs).
std::string optional_string(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || !it->is_string() ? std::string() : it->get<std::string>();
}

bool plausible_codec(std::string_view c) {
  return !c.empty() && c.size() <= 64 && std::all_of(c.begin(), c.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.';
  });
}

std::int64_t non_negative(const json& j, const char* key, std::string_view what) {
  const auto& v = j.at(key);
  if (!v.is_number_integer() || v.get<std::int64_t>() < 0)
    throw std::runtime_error(fmt::format("{}: {} must be a non-negative integer", what, key));
  return v.get<std::int64_t>();
}

void parse_thumbnails(const json& t, Manifest& m) {
  m.thumb_interval_ms = non_negative(t, "interval_ms", "thumbnails");
  m.thumb_width = static_cast<int>(non_negative(t, "width", "thumbnails"));
  m.thumb_height = static_cast<int>(non_negative(t, "height", "thumbnails"));
  for (const auto& f : t.at("files")) {
    ThumbInfo th{non_negative(f, "t", "thumbnail"), f.at("file").get<std::string>()};
    if (!plausible_thumb(th.file))
      throw std::runtime_error(fmt::format("thumbnail file name '{}' is not allowed", th.file));
    m.thumbs.push_back(std::move(th));
  }
  std::sort(m.thumbs.begin(), m.thumbs.end(),
            [](const ThumbInfo& a, const ThumbInfo& b) { return a.t_ms < b.t_ms; });
}

void parse_segments(const json& segments, Manifest& m) {
  for (const auto& s : segments) {
    SegmentInfo seg;
    seg.index = non_negative(s, "index", "segment");
    seg.file = s.at("file").get<std::string>();
    seg.init = s.at("init").get<std::string>();
    seg.start_ms = non_negative(s, "start_ms", "segment");
    seg.duration_ms = non_negative(s, "duration_ms", "segment");
    seg.bytes = non_negative(s, "bytes", "segment");
    if (!plausible_segment(seg.file))
      throw std::runtime_error(fmt::format("segment file name '{}' is not allowed", seg.file));
    bool init_known = std::any_of(m.inits.begin(), m.inits.end(),
                                  [&](const InitInfo& i) { return i.file == seg.init; });
    if (!init_known)
      throw std::runtime_error(
          fmt::format("segment {} names unknown header '{}'", seg.index, seg.init));
    if (!m.segments.empty() && seg.start_ms < m.segments.back().start_ms)
      throw std::runtime_error(fmt::format("segment {} starts before its predecessor", seg.index));
    m.segments.push_back(std::move(seg));
  }
}

}  // namespace

Manifest parse_manifest(std::string_view text) {
  Manifest m;
  try {
    auto j = json::parse(text);
    if (j.value("format", "") != "rdpwarden-recording")
      throw std::runtime_error("not an rdpwarden recording manifest");
    if (!j.at("version").is_number_integer() || j.at("version").get<int>() != 1)
      throw std::runtime_error("unsupported manifest version");
    m.session_id = j.at("session_id").get<std::string>();
    m.started_at = optional_string(j, "started_at");
    m.complete = j.contains("complete") && j["complete"].is_boolean() && j["complete"].get<bool>();
    m.end_reason = optional_string(j, "end_reason");
    m.duration_ms = non_negative(j, "duration_ms", "manifest");
    m.codec = j.at("video").at("codec").get<std::string>();
    if (!plausible_codec(m.codec)) throw std::runtime_error("codec string is not allowed");
    for (const auto& i : j.at("inits")) {
      InitInfo init{i.at("file").get<std::string>(),
                    static_cast<int>(non_negative(i, "width", "init")),
                    static_cast<int>(non_negative(i, "height", "init"))};
      if (!plausible_init(init.file))
        throw std::runtime_error(fmt::format("header file name '{}' is not allowed", init.file));
      m.inits.push_back(std::move(init));
    }
    parse_segments(j.at("segments"), m);
    if (j.contains("thumbnails") && !j.at("thumbnails").is_null())
      parse_thumbnails(j.at("thumbnails"), m);
    if (j.contains("events") && j.at("events").is_object() &&
        !optional_string(j.at("events"), "file").empty() &&
        optional_string(j.at("events"), "file") != "events.jsonl")
      throw std::runtime_error("events file must be events.jsonl");
  } catch (const json::exception& e) {
    throw std::runtime_error(fmt::format("malformed manifest: {}", e.what()));
  }
  return m;
}

RecordingStore::RecordingStore(std::filesystem::path root) : root_(std::move(root)) {}

bool RecordingStore::plausible_media_name(std::string_view name) {
  return plausible_init(name) || plausible_segment(name) || plausible_thumb(name);
}

std::filesystem::path RecordingStore::folder(std::string_view session_id) const {
  return root_ / std::string(session_id);
}

RecordingStore::Loaded RecordingStore::manifest(std::string_view session_id) const {
  Loaded out;
  auto path = folder(session_id) / "manifest.json";
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return out;  // missing
  std::int64_t mtime_ns =
      static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  {
    std::lock_guard lock(cache_mutex_);
    auto it = cache_.find(session_id);
    if (it != cache_.end() && it->second.size == static_cast<std::uintmax_t>(st.st_size) &&
        it->second.mtime_ns == mtime_ns) {
      out.status = Status::ok;
      out.manifest = it->second.manifest;
      return out;
    }
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  try {
    auto parsed = std::make_shared<const Manifest>(parse_manifest(text.str()));
    if (parsed->session_id != session_id)
      throw std::runtime_error("session_id does not match the folder");
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() > 256) cache_.clear();
    cache_[std::string(session_id)] = {static_cast<std::uintmax_t>(st.st_size), mtime_ns, parsed};
    out.status = Status::ok;
    out.manifest = std::move(parsed);
  } catch (const std::exception& e) {
    out.status = Status::invalid;
    out.problem = e.what();
  }
  return out;
}

std::optional<std::filesystem::path> RecordingStore::media_file(std::string_view session_id,
                                                                const Manifest& m,
                                                                std::string_view name) const {
  if (!plausible_media_name(name)) return std::nullopt;
  bool listed =
      std::any_of(m.inits.begin(), m.inits.end(), [&](auto& i) { return i.file == name; }) ||
      std::any_of(m.segments.begin(), m.segments.end(), [&](auto& s) { return s.file == name; }) ||
      std::any_of(m.thumbs.begin(), m.thumbs.end(), [&](auto& t) { return t.file == name; });
  if (!listed) return std::nullopt;
  return folder(session_id) / std::string(name);
}

EventPage RecordingStore::events(std::string_view session_id, const EventFilter& filter) const {
  EventPage page;
  auto path = folder(session_id) / "events.jsonl";
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return page;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.size() > 64 * 1024) continue;
    auto ev = json::parse(line, nullptr, false);
    if (ev.is_discarded() || !ev.is_object()) continue;
    auto t = ev.find("t");
    auto kind = ev.find("kind");
    if (t == ev.end() || !t->is_number_integer() || kind == ev.end() || !kind->is_string())
      continue;
    auto tm = t->get<std::int64_t>();
    const auto& k = kind->get_ref<const std::string&>();
    if (tm < filter.from_ms || tm >= filter.until_ms) continue;
    bool wanted = filter.all_kinds       ? true
                  : filter.kinds.empty() ? k != "key"
                                         : std::find(filter.kinds.begin(), filter.kinds.end(), k) !=
                                               filter.kinds.end();
    if (!wanted) continue;
    if (page.events.size() >= filter.limit) {
      page.truncated = true;
      break;
    }
    page.events.push_back(std::move(ev));
  }
  return page;
}

}  // namespace rdpwarden::server::web
