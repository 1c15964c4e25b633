#pragma once
// The framed protocol between the supervisor and a session worker, over a Unix socketpair.
//
//   frame   = length:u32be kind:u8 payload[length - 1]
//   kind 1  = a message: one JSON object with a "type" field (see the kMsg* names below)
//   kind 2  = media: reserved for binary payloads such as live video fragments
//
// Requests carry an "id"; their answer is a "response" message with the same id. Frames larger
// than kMaxFrameBytes end the link: the peer is broken or hostile.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rdpwarden::server::rdp {

enum class FrameKind : std::uint8_t { message = 1, media = 2 };

struct Frame {
  FrameKind kind = FrameKind::message;
  std::string payload;
};

inline constexpr std::size_t kMaxFrameBytes = 8 * 1024 * 1024;

// Supervisor -> worker.
inline constexpr std::string_view kMsgInit = "init";  // session settings, TLS material
inline constexpr std::string_view kMsgKill = "kill";  // {reason, message}
// {action: suspend|resume|message|watch|unwatch|keyframe, actor, text, seconds}
inline constexpr std::string_view kMsgControl = "control";
inline constexpr std::string_view kMsgResponse = "response";  // {id, ...}
// Worker -> supervisor.
inline constexpr std::string_view kMsgRequest = "request";  // {id, method, ...}
inline constexpr std::string_view kMsgState = "state";      // {state, ...details}
inline constexpr std::string_view kMsgEnded = "ended";      // {reason, detail, recording_bytes}
// A recording segment became durable: {index, file, init, start_ms, duration_ms, bytes, sha256,
// chain}; events became durable: {events: [{t, kind, line}]}; the recording failed: {failure,
// message}.
inline constexpr std::string_view kMsgRecordingSegment = "recording-segment";
inline constexpr std::string_view kMsgRecordingEvents = "recording-events";
inline constexpr std::string_view kMsgRecordingFailure = "recording-failure";
// Request methods (worker -> supervisor).
inline constexpr std::string_view kMethodNtlmKey = "ntlm-key";
inline constexpr std::string_view kMethodVerifyPassword = "verify-password";
inline constexpr std::string_view kMethodAuthorize = "authorize";
inline constexpr std::string_view kMethodTargetFingerprint = "target-fingerprint";

// Media frames (kind 2) carry the live view, worker -> supervisor:
//   u8 1 (init)      u16be json_length, json {codec, width, height}, the init segment bytes
//   u8 2 (fragment)  i64be pts_ms, u8 keyframe, the fragment bytes (moof + mdat)
inline constexpr std::uint8_t kMediaInit = 1;
inline constexpr std::uint8_t kMediaFragment = 2;

std::string encode_frame(FrameKind kind, std::string_view payload);

// Splits a byte stream into frames. Consumed bytes are wiped: messages may carry secrets.
class FrameDecoder {
 public:
  FrameDecoder() = default;
  FrameDecoder(const FrameDecoder&) = delete;
  FrameDecoder& operator=(const FrameDecoder&) = delete;
  ~FrameDecoder();

  void feed(std::span<const char> bytes);
  // The next complete frame, or nullopt when more bytes are needed or the stream is broken.
  std::optional<Frame> next();
  // Set once a frame header is invalid (too large, unknown kind); the stream is unusable.
  bool broken() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  std::string buffer_;
  std::size_t offset_ = 0;
  std::string error_;
};

}  // namespace rdpwarden::server::rdp
