#pragma once
// Bit-level reading and writing of H.264 RBSP (ITU-T H.264 7.2): fixed-width fields and
// Exp-Golomb codes, and the conversion between a NAL unit's payload and its RBSP (emulation
// prevention bytes). The reader is for untrusted data: running past the end throws
// RecordingError instead of reading out of bounds.

#include <cstdint>
#include <span>
#include <vector>

namespace rdpwarden::codec::h264 {

class BitReader {
 public:
  explicit BitReader(std::span<const std::uint8_t> rbsp) : data_(rbsp) {}
  std::uint32_t u(int bits);  // bits <= 32
  bool flag() { return u(1) != 0; }
  std::uint32_t ue();
  std::int32_t se();
  bool more_data() const { return pos_ < data_.size() * 8; }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;  // in bits
};

class BitWriter {
 public:
  void u(int bits, std::uint32_t value);  // bits <= 32
  void flag(bool value) { u(1, value ? 1 : 0); }
  void ue(std::uint32_t value);
  void se(std::int32_t value);
  bool byte_aligned() const { return bits_ == 0; }
  // Appends whole bytes; the writer must be byte-aligned.
  void bytes(std::span<const std::uint8_t> data);
  // rbsp_trailing_bits: a one, then zeros to the byte boundary.
  void trailing_bits();
  const std::vector<std::uint8_t>& data() const { return out_; }

 private:
  std::vector<std::uint8_t> out_;
  std::uint8_t current_ = 0;
  int bits_ = 0;  // bits used in current_
};

// The RBSP of a NAL unit payload: emulation prevention bytes (00 00 03) removed.
std::vector<std::uint8_t> to_rbsp(std::span<const std::uint8_t> nal);
// A NAL unit from its header byte and RBSP, with emulation prevention bytes inserted.
std::vector<std::uint8_t> to_nal(std::uint8_t header, std::span<const std::uint8_t> rbsp);

}  // namespace rdpwarden::codec::h264
