#include "av_handles.hpp"

#include <fmt/format.h>

#include <rdpwarden/codec/recording_error.hpp>

extern "C" {
#include <libavutil/error.h>
#include <libavutil/mem.h>
}

namespace rdpwarden::codec::av {

void IoContextDeleter::operator()(AVIOContext* io) const {
  // The buffer may have been reallocated by FFmpeg; free the one the context holds now.
  av_freep(&io->buffer);
  avio_context_free(&io);
}

std::string error_string(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

int check(int code, const char* what) {
  if (code < 0) throw RecordingError(fmt::format("{}: {}", what, error_string(code)));
  return code;
}

CodecContextPtr make_codec_context(const AVCodec* codec) {
  if (!codec) throw RecordingError("codec not available in this libavcodec build");
  CodecContextPtr ctx(avcodec_alloc_context3(codec));
  if (!ctx) throw RecordingError("avcodec_alloc_context3 failed");
  return ctx;
}

FramePtr make_frame() {
  FramePtr frame(av_frame_alloc());
  if (!frame) throw RecordingError("av_frame_alloc failed");
  return frame;
}

FramePtr make_video_frame(AVPixelFormat format, int width, int height) {
  auto frame = make_frame();
  frame->format = format;
  frame->width = width;
  frame->height = height;
  check(av_frame_get_buffer(frame.get(), 32), "av_frame_get_buffer");
  return frame;
}

PacketPtr make_packet() {
  PacketPtr packet(av_packet_alloc());
  if (!packet) throw RecordingError("av_packet_alloc failed");
  return packet;
}

OutputFormatPtr make_output_format(const char* format_name) {
  AVFormatContext* raw = nullptr;
  check(avformat_alloc_output_context2(&raw, nullptr, format_name, nullptr),
        "avformat_alloc_output_context2");
  if (!raw) throw RecordingError("avformat_alloc_output_context2 returned nothing");
  return OutputFormatPtr(raw);
}

IoContextPtr make_io_context(bool writable, void* opaque, int (*read)(void*, std::uint8_t*, int),
                             int (*write)(void*, std::uint8_t*, int),
                             std::int64_t (*seek)(void*, std::int64_t, int)) {
  constexpr int kBufferSize = 64 * 1024;
  auto* buffer = static_cast<unsigned char*>(av_malloc(kBufferSize));
  if (!buffer) throw RecordingError("av_malloc failed");
  AVIOContext* io =
      avio_alloc_context(buffer, kBufferSize, writable ? 1 : 0, opaque, read, write, seek);
  if (!io) {
    av_free(buffer);
    throw RecordingError("avio_alloc_context failed");
  }
  return IoContextPtr(io);
}

SwsPtr make_sws(int src_w, int src_h, AVPixelFormat src_format, int dst_w, int dst_h,
                AVPixelFormat dst_format, int flags) {
  SwsPtr sws(sws_getContext(src_w, src_h, src_format, dst_w, dst_h, dst_format, flags, nullptr,
                            nullptr, nullptr));
  if (!sws) throw RecordingError("sws_getContext failed");
  return sws;
}

}  // namespace rdpwarden::codec::av
