#pragma once
// The one exception every real-component fixture throws when a component fails to start or to
// do what was asked. The message names the component and carries the tail of its log, so that a
// failed CI run says why without a rerun.

#include <stdexcept>
#include <string>

namespace rdpwarden::test {

class FixtureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace rdpwarden::test
