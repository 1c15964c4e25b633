// The H.264 bit reader/writer and the NAL escaping the seek writer relies on.
#include "h264_bits.hpp"

#include <catch2/catch.hpp>

#include <rdpwarden/codec/recording_error.hpp>

#include "h264_params.hpp"

using namespace rdpwarden::codec;

TEST_CASE("Exp-Golomb codes round-trip through the writer and the reader", "[seek]") {
  h264::BitWriter w;
  const std::uint32_t values[] = {0, 1, 2, 3, 25, 254, 255, 65535, 0xfffffffe};
  for (auto v : values)
    w.ue(v);
  const std::int32_t signed_values[] = {0, 1, -1, 2, -2, 1000, -1000};
  for (auto v : signed_values)
    w.se(v);
  w.u(5, 0x15);
  w.trailing_bits();
  h264::BitReader r(w.data());
  for (auto v : values)
    CHECK(r.ue() == v);
  for (auto v : signed_values)
    CHECK(r.se() == v);
  CHECK(r.u(5) == 0x15);
  CHECK(r.u(1) == 1);
}

TEST_CASE("ue(v) has the spec's bit patterns", "[seek]") {
  h264::BitWriter w;
  w.ue(0);   // 1
  w.ue(25);  // 0000 1 1010
  w.u(6, 0);
  REQUIRE(w.data().size() == 2);
  CHECK(w.data()[0] == 0b10000110);
  CHECK(w.data()[1] == 0b10000000);
}

TEST_CASE("the reader refuses to run past the end", "[seek]") {
  const std::uint8_t zeros[] = {0, 0, 0, 0, 0};
  h264::BitReader r(zeros);
  CHECK_THROWS_AS(r.ue(), RecordingError);
  const std::uint8_t one[] = {0xff};
  h264::BitReader r2(one);
  r2.u(8);
  CHECK_THROWS_AS(r2.u(1), RecordingError);
}

TEST_CASE("emulation prevention escapes start codes and is undone exactly", "[seek]") {
  const std::vector<std::uint8_t> rbsp = {0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0xff};
  auto nal = h264::to_nal(0x65, rbsp);
  CHECK(nal == std::vector<std::uint8_t>{0x65, 0, 0, 3, 0, 0, 3, 0, 1, 0,   0,
                                         3,    2, 0, 0, 3, 3, 0, 0, 4, 0xff});
  CHECK(h264::to_rbsp(std::span(nal).subspan(1)) == rbsp);
}

TEST_CASE("a truncated or foreign parameter set is refused", "[seek]") {
  const std::uint8_t not_sps[] = {0x68, 0xee, 0x3c, 0x80};
  CHECK_THROWS_AS(h264::parse_sps(not_sps), RecordingError);
  const std::uint8_t short_sps[] = {0x67, 0x64};
  CHECK_THROWS_AS(h264::parse_sps(short_sps), RecordingError);
  const std::uint8_t bad_sample[] = {0, 0, 0, 9, 0x65};
  CHECK_THROWS_AS(h264::first_slice(bad_sample, 4), RecordingError);
}
