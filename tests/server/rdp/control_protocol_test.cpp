#include "rdp/control_protocol.hpp"

#include <catch2/catch.hpp>

using namespace rdpwarden::server::rdp;

TEST_CASE("control frames survive being split and joined arbitrarily") {
  std::string stream = encode_frame(FrameKind::message, R"({"type":"state"})") +
                       encode_frame(FrameKind::media, std::string(70000, 'x')) +
                       encode_frame(FrameKind::message, "");
  FrameDecoder decoder;
  std::vector<Frame> frames;
  for (std::size_t i = 0; i < stream.size(); i += 777) {
    decoder.feed({stream.data() + i, std::min<std::size_t>(777, stream.size() - i)});
    while (auto f = decoder.next())
      frames.push_back(std::move(*f));
  }
  REQUIRE(frames.size() == 3);
  CHECK(frames[0].kind == FrameKind::message);
  CHECK(frames[0].payload == R"({"type":"state"})");
  CHECK(frames[1].kind == FrameKind::media);
  CHECK(frames[1].payload.size() == 70000);
  CHECK(frames[2].payload.empty());
  CHECK_FALSE(decoder.broken());
}

TEST_CASE("a hostile frame header breaks the stream instead of allocating") {
  FrameDecoder too_big;
  const char huge[] = {'\x7f', '\xff', '\xff', '\xff', '\x01'};
  too_big.feed({huge, sizeof(huge)});
  CHECK_FALSE(too_big.next());
  CHECK(too_big.broken());

  FrameDecoder bad_kind;
  const char kind9[] = {0, 0, 0, 1, 9};
  bad_kind.feed({kind9, sizeof(kind9)});
  CHECK_FALSE(bad_kind.next());
  CHECK(bad_kind.broken());

  FrameDecoder empty;
  const char zero[] = {0, 0, 0, 0, 1};
  empty.feed({zero, sizeof(zero)});
  CHECK_FALSE(empty.next());
  CHECK(empty.broken());
}
