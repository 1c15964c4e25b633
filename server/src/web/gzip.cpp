#include "web/gzip.hpp"
#include <stdexcept>
#include <zlib.h>

#include "web/http_text.hpp"

namespace rdpwarden::server::web {
namespace {

// q=0 (with any number of zero decimals) refuses the coding; anything else allows it.
bool q_is_zero(std::string_view params) {
  while (!params.empty()) {
    auto semi = params.find(';');
    auto param = trim_ows(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') continue;
    auto value = trim_ows(param.substr(2));
    if (value.empty() || value[0] != '0') return false;
    value.remove_prefix(1);
    if (value.empty()) return true;
    if (value[0] != '.') return false;
    return value.find_first_not_of('0', 1) == std::string_view::npos;
  }
  return false;
}

}  // namespace

bool accepts_gzip(std::string_view header) {
  bool gzip_listed = false;
  bool gzip_ok = false;
  bool star_ok = false;
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    auto semi = item.find(';');
    auto coding = trim_ows(item.substr(0, semi));
    auto params = semi == std::string_view::npos ? std::string_view{} : item.substr(semi + 1);
    if (iequals_ascii(coding, "gzip") || iequals_ascii(coding, "x-gzip")) {
      gzip_listed = true;
      gzip_ok = !q_is_zero(params);
    } else if (coding == "*") {
      star_ok = !q_is_zero(params);
    }
  }
  return gzip_listed ? gzip_ok : star_ok;
}

std::string gzip(std::span<const std::uint8_t> bytes, int level) {
  z_stream z{};
  // 15 window bits + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("gzip: deflateInit2 failed");
  std::string out(deflateBound(&z, static_cast<uLong>(bytes.size())), '\0');
  z.next_in = const_cast<Bytef*>(bytes.data());  // zlib's API is not const-correct
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const auto written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("gzip: deflate failed");
  out.resize(written);
  return out;
}

}  // namespace rdpwarden::server::web
