#include "web/session_api.hpp"
#include <charconv>

#include <boost/beast/http/status.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/log.hpp"
#include "web/fragment_reader.hpp"
#include "web/iso_time.hpp"
#include "web/responses.hpp"

namespace rdpwarden::server::web {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;

struct BadParam {
  std::string message;
};

std::string param(const RequestContext& ctx, const std::string& name) {
  auto it = ctx.route.query.find(name);
  if (it == ctx.route.query.end()) return {};
  if (it->second.size() > 256) throw BadParam{fmt::format("parameter {} is too long", name)};
  return it->second;
}

std::int64_t int_param(const RequestContext& ctx, const std::string& name, std::int64_t fallback,
                       std::int64_t min, std::int64_t max) {
  auto text = param(ctx, name);
  if (text.empty()) return fallback;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || v < min || v > max)
    throw BadParam{
        fmt::format("parameter {} must be a whole number from {} to {}", name, min, max)};
  return v;
}

std::optional<TimePoint> time_param(const RequestContext& ctx, const std::string& name,
                                    bool upper_bound) {
  auto text = param(ctx, name);
  if (text.empty()) return std::nullopt;
  auto parsed = parse_iso(text);
  if (!parsed)
    throw BadParam{
        fmt::format("parameter {} must be a date (2026-11-21) or an ISO 8601 time", name)};
  // "to=2026-11-21" means through the end of that day.
  if (upper_bound && parsed->date_only) return parsed->time + std::chrono::hours(24);
  return parsed->time;
}

json session_json(const SessionRow& s) {
  json j{{"id", s.id},
         {"user", s.user},
         {"target", s.target},
         {"account", s.account},
         {"client_address", s.client_address},
         {"state", to_string(s.state)},
         {"started_at", format_iso(s.started_at)},
         {"ended_at", s.ended_at ? json(format_iso(*s.ended_at)) : json(nullptr)},
         {"duration_ms", s.duration_ms},
         {"bytes", s.bytes},
         {"end_reason", s.end_reason}};
  return j;
}

json recording_json(const std::string& id, const Manifest& m) {
  auto base = fmt::format("/api/v1/sessions/{}/media/", id);
  json inits = json::array();
  for (const auto& i : m.inits)
    inits.push_back(
        {{"file", i.file}, {"width", i.width}, {"height", i.height}, {"url", base + i.file}});
  json segments = json::array();
  for (const auto& s : m.segments)
    segments.push_back({{"index", s.index},
                        {"init", s.init},
                        {"start_ms", s.start_ms},
                        {"duration_ms", s.duration_ms},
                        {"bytes", s.bytes},
                        {"url", base + s.file}});
  json thumbs = json::array();
  for (const auto& t : m.thumbs)
    thumbs.push_back({{"t", t.t_ms}, {"url", base + t.file}});
  return {{"complete", m.complete},
          {"end_reason", m.end_reason},
          {"duration_ms", m.duration_ms},
          {"codec", m.codec},
          {"mime", fmt::format("video/mp4; codecs=\"{}\"", m.codec)},
          {"inits", inits},
          {"segments", segments},
          {"thumbnails",
           {{"interval_ms", m.thumb_interval_ms},
            {"width", m.thumb_width},
            {"height", m.thumb_height},
            {"files", thumbs}}},
          {"download_url", fmt::format("/api/v1/sessions/{}/download.mp4", id)},
          {"seek_url", fmt::format("/api/v1/sessions/{}/seek", id)}};
}

}  // namespace

Response SessionApi::list(const RequestContext& ctx) {
  SessionQuery q;
  try {
    q.user = param(ctx, "user");
    q.target = param(ctx, "target");
    q.account = param(ctx, "account");
    q.text = param(ctx, "q");
    if (auto state = param(ctx, "state"); !state.empty()) {
      q.state = parse_session_state(state);
      if (!q.state)
        throw BadParam{"parameter state must be live, ended, failed, terminated or interrupted"};
    }
    q.started_from = time_param(ctx, "from", false);
    q.started_until = time_param(ctx, "to", true);
    q.offset = int_param(ctx, "offset", 0, 0, 1000000000);
    q.limit = int_param(ctx, "limit", 50, 1, 200);
  } catch (const BadParam& e) {
    return error_response(ctx.request, http::status::bad_request, e.message);
  }
  auto page = backend_.list_sessions(q);
  json rows = json::array();
  for (const auto& row : page.rows) {
    rows.push_back(session_json(row));
    if (row.state == SessionState::live) rows.back()["live"] = live_.live_state(row);
  }
  return json_response(
      ctx.request, http::status::ok,
      {{"total", page.total}, {"offset", q.offset}, {"limit", q.limit}, {"sessions", rows}});
}

Response SessionApi::detail(const RequestContext& ctx) {
  const auto& id = ctx.route.session_id;
  auto row = backend_.find_session(id);
  if (!row) return error_response(ctx.request, http::status::not_found, "no such session");
  backend_.append_audit(
      {ctx.session->user, AuditAction::session_view, id, ctx.client_address, "{}"});
  json body{{"session", session_json(*row)}, {"recording", nullptr}};
  if (row->state == SessionState::live) body["session"]["live"] = live_.live_state(*row);
  auto loaded = recordings_.manifest(id);
  if (loaded.status == RecordingStore::Status::ok) {
    body["recording"] = recording_json(id, *loaded.manifest);
    if (seek_) seek_->prepare(id);  // the page opened: the auditor is about to seek
  } else if (loaded.status == RecordingStore::Status::invalid) {
    log::warn("web: session {}: recording manifest rejected: {}", id, loaded.problem);
    body["recording_problem"] = "the recording's manifest is damaged";
  }
  return json_response(ctx.request, http::status::ok, body);
}

Response SessionApi::recording(const RequestContext& ctx) {
  const auto& id = ctx.route.session_id;
  auto row = backend_.find_session(id);
  if (!row) return error_response(ctx.request, http::status::not_found, "no such session");
  auto loaded = recordings_.manifest(id);
  if (loaded.status != RecordingStore::Status::ok)
    return error_response(ctx.request, http::status::not_found, "this session has no recording");
  json body{{"state", to_string(row->state)},
            {"duration_ms", row->duration_ms},
            {"recording", recording_json(id, *loaded.manifest)}};
  return json_response(ctx.request, http::status::ok, body);
}

Response SessionApi::events(const RequestContext& ctx) {
  const auto& id = ctx.route.session_id;
  EventFilter filter;
  try {
    filter.from_ms = int_param(ctx, "from", 0, 0, INT64_MAX / 2);
    filter.until_ms = int_param(ctx, "to", INT64_MAX / 2, 0, INT64_MAX / 2);
    filter.limit = static_cast<std::size_t>(int_param(ctx, "limit", 5000, 1, 20000));
    auto kinds = param(ctx, "kinds");
    for (std::size_t pos = 0; !kinds.empty() && pos <= kinds.size();) {
      auto comma = kinds.find(',', pos);
      auto k = kinds.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      if (!k.empty()) filter.kinds.push_back(k);
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
  } catch (const BadParam& e) {
    return error_response(ctx.request, http::status::bad_request, e.message);
  }
  if (!backend_.find_session(id))
    return error_response(ctx.request, http::status::not_found, "no such session");
  auto page = recordings_.events(id, filter);
  return json_response(ctx.request, http::status::ok,
                       {{"events", page.events}, {"truncated", page.truncated}});
}

std::vector<IdleStretch> SessionApi::compute_idle(const std::string& id, const Manifest& m,
                                                  std::string& problem) {
  std::vector<std::int64_t> frames;
  std::map<std::string, TrackTiming> timings;
  for (const auto& seg : m.segments) {
    auto timing = timings.find(seg.init);
    if (timing == timings.end()) {
      auto init_path = recordings_.media_file(id, m, seg.init);
      auto t = init_path ? read_track_timing(*init_path, problem) : std::nullopt;
      if (!t) return {};
      timing = timings.emplace(seg.init, *t).first;
    }
    auto path = recordings_.media_file(id, m, seg.file);
    auto samples = path ? read_samples(*path, timing->second, problem) : std::nullopt;
    if (!samples) return {};
    for (const auto& s : *samples) {
      // A repeat frame (the unchanged picture, all skip blocks: docs/recording-format.md) is
      // bookkeeping, not activity.
      if (s.bytes > kRepeatFrameMaxBytes) frames.push_back(s.t_ms);
    }
  }
  EventFilter all;  // keystrokes too: a password typed without echo is activity worth seeing
  all.all_kinds = true;
  all.limit = 1000000;
  std::vector<std::int64_t> event_times;
  for (const auto& ev : recordings_.events(id, all).events)
    event_times.push_back(ev["t"].get<std::int64_t>());
  return idle_stretches(std::move(frames), event_times, m.duration_ms, kIdleThresholdMs);
}

Response SessionApi::activity(const RequestContext& ctx) {
  const auto& id = ctx.route.session_id;
  if (!backend_.find_session(id))
    return error_response(ctx.request, http::status::not_found, "no such session");
  auto loaded = recordings_.manifest(id);
  if (loaded.status != RecordingStore::Status::ok)
    return error_response(ctx.request, http::status::not_found, "this session has no recording");
  std::vector<IdleStretch> idle;
  bool cached = false;
  {
    std::lock_guard lock(activity_mutex_);
    auto it = activity_cache_.find(id);
    if (it != activity_cache_.end() && it->second.manifest == loaded.manifest.get()) {
      idle = it->second.idle;
      cached = true;
    }
  }
  if (!cached) {
    std::string problem;
    idle = compute_idle(id, *loaded.manifest, problem);
    if (!problem.empty()) log::warn("web: session {}: activity: {}", id, problem);
    std::lock_guard lock(activity_mutex_);
    if (activity_cache_.size() > 64) activity_cache_.clear();
    activity_cache_[id] = {loaded.manifest.get(), loaded.manifest, idle};
  }
  json stretches = json::array();
  for (const auto& s : idle)
    stretches.push_back({s.start_ms, s.end_ms});
  return json_response(ctx.request, http::status::ok,
                       {{"threshold_ms", kIdleThresholdMs}, {"idle", stretches}});
}

}  // namespace rdpwarden::server::web
