#include "web/response_body.hpp"
#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include <boost/system/error_code.hpp>

namespace rdpwarden::server::web {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

boost::beast::error_code errno_code(int e) {
  return {e, boost::system::generic_category()};
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

std::uint64_t ResponseBody::size(const value_type& body) {
  std::uint64_t total = body.text.size();
  for (const auto& p : body.pieces)
    total += p.length;
  return total;
}

bool ResponseBody::writer::more_after_current() const {
  for (std::size_t i = piece_ + 1; i < body_.pieces.size(); ++i) {
    if (body_.pieces[i].length > 0) return true;
  }
  return false;
}

boost::optional<std::pair<ResponseBody::writer::const_buffers_type, bool>>
ResponseBody::writer::get(boost::beast::error_code& ec) {
  ec = {};
  if (!text_sent_) {
    text_sent_ = true;
    bool more = std::any_of(body_.pieces.begin(), body_.pieces.end(),
                            [](const FilePiece& p) { return p.length > 0; });
    if (!body_.text.empty())
      return {{boost::asio::buffer(body_.text.data(), body_.text.size()), more}};
  }
  while (piece_ < body_.pieces.size()) {
    const auto& piece = body_.pieces[piece_];
    if (piece_done_ >= piece.length) {
      ++piece_;
      piece_done_ = 0;
      fd_ = UniqueFd();
      continue;
    }
    if (!fd_) {
      fd_ = UniqueFd(::open(piece.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
      if (!fd_) {
        ec = errno_code(errno);
        return boost::none;
      }
    }
    if (buffer_.empty()) buffer_.resize(kChunk);
    auto want =
        static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, piece.length - piece_done_));
    ssize_t n =
        ::pread(fd_.get(), buffer_.data(), want, static_cast<off_t>(piece.offset + piece_done_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ec = errno_code(errno);
      return boost::none;
    }
    if (n == 0) {  // the file is shorter than it was when the response was planned
      ec = errno_code(EIO);
      return boost::none;
    }
    piece_done_ += static_cast<std::uint64_t>(n);
    bool more = piece_done_ < piece.length || more_after_current();
    return {{boost::asio::buffer(buffer_.data(), static_cast<std::size_t>(n)), more}};
  }
  return boost::none;
}

}  // namespace rdpwarden::server::web
