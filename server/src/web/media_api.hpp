#pragma once
// GET /api/v1/sessions/{id}/media/{file} (init headers, segments, thumbnails — only files the
// session's manifest lists) and /download.mp4 (init + every segment as one fragmented MP4,
// streamed, Range-capable). A playback start (the player fetching a header from its start) and
// a download are audited; repeated header fetches by the same console session within a minute
// are one playback.

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "web/backend.hpp"
#include "web/recording_store.hpp"
#include "web/request_context.hpp"
#include "web/response_body.hpp"

namespace rdpwarden::server::web {

class MediaApi {
 public:
  MediaApi(Backend& backend, const RecordingStore& recordings)
      : backend_(backend), recordings_(recordings) {}

  Response media(const RequestContext& ctx);
  Response download(const RequestContext& ctx);

 private:
  // Loads the manifest of a session the database knows; fills `error` otherwise.
  std::shared_ptr<const Manifest> manifest_for(const RequestContext& ctx,
                                               std::optional<Response>& error);
  bool first_play_in_a_while(const RequestContext& ctx);

  Backend& backend_;
  const RecordingStore& recordings_;
  std::mutex plays_mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> recent_plays_;
};

}  // namespace rdpwarden::server::web
