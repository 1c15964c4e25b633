#pragma once
// The one Body type every console response uses: in-memory text, or a sequence of file pieces
// (path, offset, length) streamed in 64 KiB reads — a Range of one segment, or a whole
// recording (init + segments) as one MP4 download, without loading it into memory. Files are
// opened lazily with O_NOFOLLOW; a file that shrank under us ends the response with an error
// (the connection is then closed, the client sees a short body rather than wrong bytes).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

namespace rdpwarden::server::web {

struct FilePiece {
  std::filesystem::path path;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

// An open file descriptor, closed on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

struct ResponseBody {
  struct value_type {
    std::string text;
    std::vector<FilePiece> pieces;  // sent after `text`
  };

  static std::uint64_t size(const value_type& body);

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;

    template <bool isRequest, class Fields>
    writer(const boost::beast::http::header<isRequest, Fields>&, const value_type& body)
        : body_(body) {}

    void init(boost::beast::error_code& ec) { ec = {}; }
    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec);

   private:
    bool more_after_current() const;

    const value_type& body_;
    bool text_sent_ = false;
    std::size_t piece_ = 0;
    std::uint64_t piece_done_ = 0;
    UniqueFd fd_;
    std::vector<char> buffer_;
  };
};

using Response = boost::beast::http::response<ResponseBody>;

}  // namespace rdpwarden::server::web
