#include "recording_fidelity.hpp"
#include <map>
#include <memory>

#include <rdpwarden/codec/frame_decoder.hpp>

#include "image_compare.hpp"
#include "recording_capture.hpp"

namespace rdpwarden::bench {
namespace {

using Pixels = std::shared_ptr<const std::vector<std::uint8_t>>;

struct Comparison {
  Pixels capture;
  bool settled = false;
};

class FidelityMeter {
 public:
  FidelityMeter(const std::filesystem::path& capture, const std::vector<bool>& changed,
                codec::SessionTime settle)
      : reader_(capture), changed_(changed), settle_(settle) {}

  // A recording frame starts at `pts`: everything due before it is compared with the frame
  // shown until then.
  void on_frame(const codec::DecodedFrame& frame) {
    read_captures_before(frame.pts);
    compare_due(frame.pts);
    shown_ = frame.bgrx;
    shown_ok_ = frame.width == CaptureReader::kWidth && frame.height == CaptureReader::kHeight;
  }

  Fidelity finish() {
    read_captures_before(codec::SessionTime::max());
    compare_due(codec::SessionTime::max());
    if (result_.samples) result_.mean /= result_.samples;
    if (result_.settled_samples) result_.settled_mean /= result_.settled_samples;
    return result_;
  }

 private:
  bool stays_still(std::size_t i) const {
    const auto& t = reader_.times();
    for (std::size_t j = i + 1; j < t.size() && t[j] <= t[i] + settle_; ++j)
      if (j < changed_.size() && changed_[j]) return false;
    return true;
  }

  void read_captures_before(codec::SessionTime limit) {
    const auto& t = reader_.times();
    while (next_ < t.size() && t[next_] < limit) {
      std::vector<std::uint8_t> pixels;
      if (!reader_.next(pixels)) {
        next_ = t.size();
        return;
      }
      if (t[next_] >= next_sample_) {
        auto shared = std::make_shared<const std::vector<std::uint8_t>>(std::move(pixels));
        due_.emplace(t[next_], Comparison{shared, false});
        if (stays_still(next_)) due_.emplace(t[next_] + settle_, Comparison{shared, true});
        while (next_sample_ <= t[next_])
          next_sample_ += std::chrono::seconds(1);
      }
      ++next_;
    }
  }

  void compare_due(codec::SessionTime limit) {
    while (!due_.empty() && due_.begin()->first < limit) {
      const Comparison& c = due_.begin()->second;
      if (shown_ok_) {
        const int w = CaptureReader::kWidth;
        double s = test::ssim({shown_.data(), w, CaptureReader::kHeight, w * 4},
                              {c.capture->data(), w, CaptureReader::kHeight, w * 4});
        if (c.settled) {
          result_.settled_mean += s;
          result_.settled_min = std::min(result_.settled_min, s);
          ++result_.settled_samples;
        } else {
          result_.mean += s;
          result_.min = std::min(result_.min, s);
          ++result_.samples;
        }
      }
      due_.erase(due_.begin());
    }
  }

  CaptureReader reader_;
  const std::vector<bool>& changed_;
  codec::SessionTime settle_;
  std::size_t next_ = 0;
  codec::SessionTime next_sample_{1000};
  std::multimap<codec::SessionTime, Comparison> due_;
  std::vector<std::uint8_t> shown_;
  bool shown_ok_ = false;
  Fidelity result_;
};

}  // namespace

Fidelity measure_fidelity(const std::filesystem::path& capture,
                          const std::filesystem::path& session_dir,
                          const std::vector<bool>& changed, codec::SessionTime settle) {
  FidelityMeter meter(capture, changed, settle);
  codec::FrameDecoder::decode_session(session_dir, [&](const codec::DecodedFrame& f) {
    meter.on_frame(f);
    return true;
  });
  return meter.finish();
}

}  // namespace rdpwarden::bench
