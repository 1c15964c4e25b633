#pragma once
// GET /api/v1/sessions/{id}/seek?t=<ms>: a seek fragment (codec::SeekIndex) — one CMAF fragment
// whose first frame is an intra picture of the frame showing at t, followed by the rest of its
// segment — so the player starts at t without decoding the segment from its keyframe. Headers
// tell the player how to use it: X-Rdpw-Init (the init header it decodes under), X-Rdpw-Segment
// (the segment's manifest index), X-Rdpw-Start-Ms and X-Rdpw-End-Ms (the span it covers).
//
// Building one is CPU-bound (tens of ms warm, more on a cold recording), so the request is
// checked on the handler thread and the build queued on a small bounded pool; a full queue is a
// 503 with Retry-After at once. Not audited per seek: the session page (session.view) and the
// player's header fetch (session.play) already are, and scrubbing would flood the audit log.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <rdpwarden/codec/seek_index.hpp>

#include "web/backend.hpp"
#include "web/bounded_pool.hpp"
#include "web/recording_store.hpp"
#include "web/request_context.hpp"
#include "web/response_body.hpp"

namespace rdpwarden::server::web {

// Largest t accepted: a year of recording, in milliseconds.
inline constexpr std::int64_t kMaxSeekMs = 366LL * 24 * 3600 * 1000;

// The `t` parameter: decimal digits only (no sign, no space), at most kMaxSeekMs.
std::optional<std::int64_t> parse_seek_ms(std::string_view text);

class SeekApi {
 public:
  using Done = std::function<void(Response)>;

  // `index` and `pool` are shared by every request of one server and must outlive this.
  SeekApi(Backend& backend, const RecordingStore& recordings, codec::SeekIndex& index,
          BoundedPool& pool)
      : backend_(backend), recordings_(recordings), index_(index), pool_(pool) {}

  // Answers through `done`, exactly once: at once (bad t, unknown session, no recording, full
  // queue) or later from the pool with the fragment. Throws only before calling `done`
  // (a Backend failure), so the caller answers then.
  void seek(const RequestContext& ctx, Done done);

  // Starts decoding the session's recording in the background, when it has one (the session
  // page opened: its seeks will find snapshots). Never throws.
  void prepare(const std::string& session_id) noexcept;

  static constexpr int kRetryAfterSeconds = 1;

 private:
  Backend& backend_;
  const RecordingStore& recordings_;
  codec::SeekIndex& index_;
  BoundedPool& pool_;
};

}  // namespace rdpwarden::server::web
