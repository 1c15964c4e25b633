#include "h264_bits.hpp"

#include <rdpwarden/codec/recording_error.hpp>

namespace rdpwarden::codec::h264 {

std::uint32_t BitReader::u(int bits) {
  if (bits < 0 || bits > 32 || pos_ + static_cast<std::size_t>(bits) > data_.size() * 8)
    throw RecordingError("H.264 header ends early");
  std::uint32_t value = 0;
  for (int i = 0; i < bits; ++i, ++pos_)
    value = (value << 1) | ((data_[pos_ / 8] >> (7 - pos_ % 8)) & 1U);
  return value;
}

std::uint32_t BitReader::ue() {
  int zeros = 0;
  while (u(1) == 0) {
    // 32 leading zeros would not fit in 32 bits: no valid stream has them.
    if (++zeros > 31) throw RecordingError("H.264 Exp-Golomb code too long");
  }
  return static_cast<std::uint32_t>((std::uint64_t{1} << zeros) - 1 + u(zeros));
}

std::int32_t BitReader::se() {
  std::uint32_t k = ue();
  auto magnitude = static_cast<std::int32_t>((k + 1) / 2);
  return (k & 1U) ? magnitude : -magnitude;
}

void BitWriter::u(int bits, std::uint32_t value) {
  for (int i = bits - 1; i >= 0; --i) {
    current_ = static_cast<std::uint8_t>((current_ << 1) | ((value >> i) & 1U));
    if (++bits_ == 8) {
      out_.push_back(current_);
      current_ = 0;
      bits_ = 0;
    }
  }
}

void BitWriter::ue(std::uint32_t value) {
  std::uint64_t v = std::uint64_t{value} + 1;
  int length = 0;
  while ((v >> length) > 1)
    ++length;
  u(length, 0);
  // length + 1 bits of v; split so no single write exceeds 32 bits.
  u(1, 1);
  u(length, static_cast<std::uint32_t>(v & ((std::uint64_t{1} << length) - 1)));
}

void BitWriter::se(std::int32_t value) {
  ue(value > 0 ? static_cast<std::uint32_t>(2 * static_cast<std::int64_t>(value) - 1)
               : static_cast<std::uint32_t>(-2 * static_cast<std::int64_t>(value)));
}

void BitWriter::bytes(std::span<const std::uint8_t> data) {
  if (!byte_aligned()) throw RecordingError("H.264 writer: bytes at an unaligned position");
  out_.insert(out_.end(), data.begin(), data.end());
}

void BitWriter::trailing_bits() {
  u(1, 1);
  while (!byte_aligned())
    u(1, 0);
}

std::vector<std::uint8_t> to_rbsp(std::span<const std::uint8_t> nal) {
  std::vector<std::uint8_t> out;
  out.reserve(nal.size());
  int zeros = 0;
  for (std::uint8_t b : nal) {
    if (zeros >= 2 && b == 3) {
      zeros = 0;
      continue;
    }
    zeros = b == 0 ? zeros + 1 : 0;
    out.push_back(b);
  }
  return out;
}

std::vector<std::uint8_t> to_nal(std::uint8_t header, std::span<const std::uint8_t> rbsp) {
  std::vector<std::uint8_t> out;
  out.reserve(rbsp.size() + rbsp.size() / 64 + 2);
  out.push_back(header);
  int zeros = 0;
  for (std::uint8_t b : rbsp) {
    // 00 00 followed by 00..03 would look like a start code (or an escape): escape it.
    if (zeros >= 2 && b <= 3) {
      out.push_back(3);
      zeros = 0;
    }
    zeros = b == 0 ? zeros + 1 : 0;
    out.push_back(b);
  }
  return out;
}

}  // namespace rdpwarden::codec::h264
