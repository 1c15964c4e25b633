#include "rdp/control_protocol.hpp"

#include <fmt/format.h>

#include "rdp/secret.hpp"

namespace rdpwarden::server::rdp {

std::string encode_frame(FrameKind kind, std::string_view payload) {
  const auto length = static_cast<std::uint32_t>(payload.size() + 1);
  std::string out;
  out.reserve(payload.size() + 5);
  out.push_back(static_cast<char>((length >> 24) & 0xff));
  out.push_back(static_cast<char>((length >> 16) & 0xff));
  out.push_back(static_cast<char>((length >> 8) & 0xff));
  out.push_back(static_cast<char>(length & 0xff));
  out.push_back(static_cast<char>(kind));
  out.append(payload);
  return out;
}

FrameDecoder::~FrameDecoder() {
  wipe(buffer_);
}

void FrameDecoder::feed(std::span<const char> bytes) {
  if (broken()) return;
  // Compact before growing so the buffer stays bounded by one frame plus one read.
  if (offset_ > 0 && offset_ >= buffer_.size() / 2) {
    wipe(buffer_.data(), offset_);
    buffer_.erase(0, offset_);
    offset_ = 0;
  }
  buffer_.append(bytes.data(), bytes.size());
}

std::optional<Frame> FrameDecoder::next() {
  if (broken()) return std::nullopt;
  const std::size_t available = buffer_.size() - offset_;
  if (available < 5) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(buffer_.data() + offset_);
  const std::uint32_t length = (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                               (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
  if (length < 1 || length > kMaxFrameBytes) {
    error_ = fmt::format("frame length {} out of range", length);
    return std::nullopt;
  }
  const unsigned kind = p[4];
  if (kind != static_cast<unsigned>(FrameKind::message) &&
      kind != static_cast<unsigned>(FrameKind::media)) {
    error_ = fmt::format("unknown frame kind {}", kind);
    return std::nullopt;
  }
  if (available < 4 + std::size_t{length}) return std::nullopt;
  Frame frame;
  frame.kind = static_cast<FrameKind>(kind);
  frame.payload.assign(buffer_.data() + offset_ + 5, length - 1);
  wipe(buffer_.data() + offset_, 4 + std::size_t{length});
  offset_ += 4 + std::size_t{length};
  if (offset_ == buffer_.size()) {
    buffer_.clear();
    offset_ = 0;
  }
  return frame;
}

}  // namespace rdpwarden::server::rdp
