#pragma once
// A block of X display numbers reserved for one fixture, for servers that pick their display by
// scanning upwards from an offset (xrdp-sesman's X11DisplayOffset) instead of -displayfd.
// Reservations are flocks on /tmp/rdpwarden-xdisplays/<first>.lock, so every test process on
// the machine using this class gets a disjoint block; blocks start at 200, far above the low
// numbers Xvfb -displayfd hands out. Released (unlocked) on destruction.

namespace rdpwarden::test {

class DisplayBlock {
 public:
  static constexpr int kSize = 10;
  // Throws FixtureError when all blocks are taken.
  DisplayBlock();
  DisplayBlock(const DisplayBlock&) = delete;
  DisplayBlock& operator=(const DisplayBlock&) = delete;
  ~DisplayBlock();

  int first() const { return first_; }

 private:
  int fd_ = -1;
  int first_ = -1;
};

}  // namespace rdpwarden::test
