#pragma once
// The one exception type codec throws at start-up and from offline tools (recovery, export,
// decoding). The data path never throws: it reports through RecorderObserver::on_failure.

#include <stdexcept>

namespace rdpwarden::codec {

class RecordingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace rdpwarden::codec
