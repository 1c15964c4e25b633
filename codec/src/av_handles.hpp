#pragma once
// One RAII owner per FFmpeg handle, made only by factories that check for null (throwing
// RecordingError), so no FFmpeg object is ever freed by hand.

#include <memory>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

namespace rdpwarden::codec::av {

struct CodecContextDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
// An output context; its pb (custom I/O) is owned separately by IoContextPtr.
struct OutputFormatDeleter {
  void operator()(AVFormatContext* f) const { avformat_free_context(f); }
};
struct InputFormatDeleter {
  void operator()(AVFormatContext* f) const { avformat_close_input(&f); }
};
struct IoContextDeleter {
  void operator()(AVIOContext* io) const;
};
struct SwsDeleter {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};

using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using OutputFormatPtr = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;
using InputFormatPtr = std::unique_ptr<AVFormatContext, InputFormatDeleter>;
using IoContextPtr = std::unique_ptr<AVIOContext, IoContextDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;

// FFmpeg's message for an error code.
std::string error_string(int code);

CodecContextPtr make_codec_context(const AVCodec* codec);
FramePtr make_frame();
// A frame with its own buffers (32-byte aligned planes).
FramePtr make_video_frame(AVPixelFormat format, int width, int height);
PacketPtr make_packet();
OutputFormatPtr make_output_format(const char* format_name);
// A custom I/O context with a 64 KiB buffer; `opaque` is passed to the callbacks.
IoContextPtr make_io_context(bool writable, void* opaque, int (*read)(void*, std::uint8_t*, int),
                             int (*write)(void*, std::uint8_t*, int),
                             std::int64_t (*seek)(void*, std::int64_t, int));
SwsPtr make_sws(int src_w, int src_h, AVPixelFormat src_format, int dst_w, int dst_h,
                AVPixelFormat dst_format, int flags);

// Throws RecordingError("<what>: <ffmpeg message>") when code < 0; returns code otherwise.
int check(int code, const char* what);

}  // namespace rdpwarden::codec::av
