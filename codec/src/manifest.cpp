#include "manifest.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <rdpwarden/codec/recording_error.hpp>

#include "file_io.hpp"

namespace rdpwarden::codec {

using nlohmann::json;

std::string Manifest::to_json() const {
  json inits_json = json::array();
  for (const auto& i : inits) {
    inits_json.push_back({{"file", i.file},
                          {"width", i.width},
                          {"height", i.height},
                          {"bytes", i.bytes},
                          {"sha256", i.sha256},
                          {"first_segment", i.first_segment}});
  }
  json segments_json = json::array();
  for (const auto& s : segments) {
    segments_json.push_back({{"index", s.index},
                             {"file", s.file},
                             {"init", s.init_file},
                             {"start_ms", s.start.count()},
                             {"duration_ms", s.duration.count()},
                             {"bytes", s.bytes},
                             {"sha256", s.sha256},
                             {"chain", s.chain}});
  }
  json thumbs_json = json::array();
  for (const auto& t : thumbnails)
    thumbs_json.push_back({{"t", t.t}, {"file", t.file}});
  json j = {{"format", "rdpwarden-recording"},
            {"version", 1},
            {"session_id", session_id},
            {"started_at", started_at},
            {"complete", complete},
            {"end_reason", end_reason.empty() ? json(nullptr) : json(end_reason)},
            {"duration_ms", duration_ms},
            {"video", {{"codec", codec}, {"timescale", 1000}}},
            {"inits", inits_json},
            {"segments", segments_json},
            {"thumbnails",
             {{"interval_ms", thumbnail_interval_ms},
              {"width", thumbnail_width},
              {"height", thumbnail_height},
              {"files", thumbs_json}}},
            {"events", {{"file", kEventsFile}}}};
  return j.dump(1) + "\n";
}

Manifest Manifest::parse(std::string_view text) {
  try {
    json j = json::parse(text);
    if (j.at("format") != "rdpwarden-recording") throw RecordingError("not a recording manifest");
    if (j.at("version").get<int>() != 1)
      throw RecordingError(fmt::format("unsupported manifest version {}", j.at("version").dump()));
    Manifest m;
    m.session_id = j.at("session_id").get<std::string>();
    m.started_at = j.at("started_at").get<std::string>();
    m.complete = j.at("complete").get<bool>();
    if (j.at("end_reason").is_string()) m.end_reason = j["end_reason"].get<std::string>();
    m.duration_ms = j.at("duration_ms").get<std::int64_t>();
    m.codec = j.at("video").at("codec").get<std::string>();
    for (const auto& i : j.at("inits")) {
      m.inits.push_back({i.at("file"), i.at("width"), i.at("height"), i.at("bytes"), i.at("sha256"),
                         i.value("first_segment", 1)});
    }
    for (const auto& s : j.at("segments")) {
      SegmentRecord r;
      r.index = s.at("index");
      r.file = s.at("file");
      r.init_file = s.at("init");
      r.start = SessionTime(s.at("start_ms").get<std::int64_t>());
      r.duration = std::chrono::milliseconds(s.at("duration_ms").get<std::int64_t>());
      r.bytes = s.at("bytes");
      r.sha256 = s.at("sha256");
      r.chain = s.at("chain");
      m.segments.push_back(std::move(r));
    }
    const auto& th = j.at("thumbnails");
    m.thumbnail_interval_ms = th.at("interval_ms");
    m.thumbnail_width = th.at("width");
    m.thumbnail_height = th.at("height");
    for (const auto& t : th.at("files"))
      m.thumbnails.push_back({t.at("t"), t.at("file")});
    return m;
  } catch (const json::exception& e) {
    throw RecordingError(fmt::format("malformed manifest: {}", e.what()));
  }
}

Manifest Manifest::load(const std::filesystem::path& session_dir) {
  auto bytes = read_file(session_dir / kManifestFile);
  return parse({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

std::error_code Manifest::save(const std::filesystem::path& session_dir) const {
  return write_file_atomic(session_dir / kManifestFile, to_json());
}

const InitEntry* Manifest::init_for(int segment_index) const {
  const InitEntry* found = nullptr;
  for (const auto& i : inits)
    if (i.first_segment <= segment_index) found = &i;
  return found;
}

std::string chain_link(std::string_view previous, std::string_view segment_sha256) {
  std::string input(previous);
  input += segment_sha256;
  return sha256_hex(input);
}

std::string segment_file_name(int index) {
  return fmt::format("seg-{:06d}.m4s", index);
}

std::string init_file_name(int number) {
  return number <= 1 ? std::string("init.mp4") : fmt::format("init-{}.mp4", number);
}

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::time_point_cast<std::chrono::milliseconds>(t);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(t)),
                     static_cast<int>(ms.time_since_epoch().count() % 1000));
}

}  // namespace rdpwarden::codec
