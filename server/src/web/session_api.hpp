#pragma once
// GET /api/v1/sessions (the list with filters and pages), /api/v1/sessions/{id} (one session and
// its recording's index, audited as a view), /events (the timeline) and /activity (idle
// stretches for "skip idle").

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "web/activity.hpp"
#include "web/backend.hpp"
#include "web/live_api.hpp"
#include "web/recording_store.hpp"
#include "web/request_context.hpp"
#include "web/response_body.hpp"
#include "web/seek_api.hpp"

namespace rdpwarden::server::web {

class SessionApi {
 public:
  // `seek` (may be nullptr) is told when a session page opens, to warm its seeks.
  SessionApi(Backend& backend, const RecordingStore& recordings, LiveApi& live,
             SeekApi* seek = nullptr)
      : backend_(backend), recordings_(recordings), live_(live), seek_(seek) {}

  Response list(const RequestContext& ctx);
  Response detail(const RequestContext& ctx);
  // The recording's index alone, for a live session's page to follow the growing recording.
  // Not audited: the page that polls it was (session.view), and the media it leads to are.
  Response recording(const RequestContext& ctx);
  Response events(const RequestContext& ctx);
  Response activity(const RequestContext& ctx);

  static constexpr std::int64_t kIdleThresholdMs = 3000;
  // Repeat frames are ~20-80 bytes; any real change of the picture costs more.
  static constexpr std::uint32_t kRepeatFrameMaxBytes = 96;

 private:
  std::vector<IdleStretch> compute_idle(const std::string& id, const Manifest& m,
                                        std::string& problem);

  Backend& backend_;
  const RecordingStore& recordings_;
  LiveApi& live_;
  SeekApi* seek_;
  std::mutex activity_mutex_;
  struct CachedActivity {
    const Manifest* manifest = nullptr;  // identity of the manifest version it was built from
    std::shared_ptr<const Manifest> keep;
    std::vector<IdleStretch> idle;
  };
  std::map<std::string, CachedActivity> activity_cache_;
};

}  // namespace rdpwarden::server::web
