#pragma once
// The CABAC arithmetic encoder of H.264 (9.3.4.2), limited to what an intra slice of I_PCM
// macroblocks needs: the three context variables of mb_type's first bin in I slices
// (ctxIdx 3..5), the terminate bin, and the re-initialisation after PCM samples.

#include <array>
#include <cstdint>

#include "h264_bits.hpp"

namespace rdpwarden::codec::h264 {

class CabacWriter {
 public:
  // Initialises the contexts for SliceQPY `slice_qp` (9.3.1.1) and the encoding engine.
  CabacWriter(BitWriter& out, int slice_qp);

  // EncodeDecision with ctxIdx 3, 4 or 5.
  void decision(int ctx_idx, int bin);
  // EncodeTerminate; a 1 flushes the engine (9.3.4.5), whose last written bit is a one.
  void terminate(int bin);
  // InitEncoder (9.3.4.1): after pcm samples the engine restarts; contexts are kept.
  void restart();

 private:
  struct Context {
    std::uint8_t state = 0;
    std::uint8_t mps = 0;
  };
  void renormalize();
  void put_bit(int bit);

  BitWriter& out_;
  std::array<Context, 3> contexts_{};
  std::uint32_t low_ = 0;
  std::uint32_t range_ = 510;
  std::uint32_t outstanding_ = 0;
  bool first_bit_ = true;
};

}  // namespace rdpwarden::codec::h264
