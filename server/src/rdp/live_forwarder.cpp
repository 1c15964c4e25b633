#include "rdp/live_forwarder.hpp"

#include <nlohmann/json.hpp>

namespace rdpwarden::server::rdp {

void LiveForwarder::on_live_init(std::span<const std::byte> init, std::string_view codec, int width,
                                 int height) {
  const auto header =
      nlohmann::json{{"codec", std::string(codec)}, {"width", width}, {"height", height}}.dump();
  std::string payload;
  payload.reserve(3 + header.size() + init.size());
  payload.push_back(static_cast<char>(kMediaInit));
  payload.push_back(static_cast<char>((header.size() >> 8) & 0xff));
  payload.push_back(static_cast<char>(header.size() & 0xff));
  payload += header;
  payload.append(reinterpret_cast<const char*>(init.data()), init.size());
  link_.send_media(payload);
}

void LiveForwarder::on_live_fragment(std::span<const std::byte> fragment, codec::SessionTime pts,
                                     bool keyframe) {
  std::string payload;
  payload.reserve(10 + fragment.size());
  payload.push_back(static_cast<char>(kMediaFragment));
  const auto t = static_cast<std::uint64_t>(pts.count());
  for (int shift = 56; shift >= 0; shift -= 8)
    payload.push_back(static_cast<char>((t >> shift) & 0xff));
  payload.push_back(keyframe ? 1 : 0);
  payload.append(reinterpret_cast<const char*>(fragment.data()), fragment.size());
  link_.send_media(payload);
}

}  // namespace rdpwarden::server::rdp
