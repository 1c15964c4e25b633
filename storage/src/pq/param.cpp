#include "pq/param.hpp"

#include "pq/text_codec.hpp"

namespace rdpwarden::storage::pq {

Param::Param(const std::optional<std::int64_t>& number) {
  if (number) value_ = std::to_string(*number);
}

Param::Param(const std::optional<TimePoint>& time) {
  if (time) value_ = format_timestamp(*time);
}

Param Param::bytes(std::span<const std::byte> data) {
  Param p;
  p.value_ = std::string(reinterpret_cast<const char*>(data.data()), data.size());
  p.binary_ = true;
  return p;
}

Param Param::time(TimePoint time) {
  Param p;
  p.value_ = format_timestamp(time);
  return p;
}

Param Param::text_array(const std::vector<std::string>& elements) {
  Param p;
  p.value_ = format_text_array(elements);
  return p;
}

}  // namespace rdpwarden::storage::pq
