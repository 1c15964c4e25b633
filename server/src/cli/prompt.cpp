#include "cli/prompt.hpp"
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "cli/cli_context.hpp"

namespace rdpwarden::server::cli {
namespace {

constexpr std::size_t kMaxPassword = 1024;

// Restores the terminal's echo if Ctrl-C arrives while a password is being typed.
int g_tty_fd = -1;
struct termios g_saved_termios;

extern "C" void restore_echo_and_die(int sig) {
  if (g_tty_fd >= 0) ::tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved_termios);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Reads one line (without its newline) from `fd` into wiped memory.
storage::SecretBytes read_line(int fd) {
  std::vector<std::byte> buffer(kMaxPassword + 2);
  std::size_t size = 0;
  char c = 0;
  for (;;) {
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;
    if (size < buffer.size()) buffer[size++] = static_cast<std::byte>(c);
  }
  c = 0;
  if (size > 0 && buffer[size - 1] == std::byte{'\r'}) --size;
  bool too_long = size > kMaxPassword;
  storage::SecretBytes line(std::span<const std::byte>(buffer.data(), too_long ? 0 : size));
  OPENSSL_cleanse(buffer.data(), buffer.size());
  if (too_long) throw UsageError(fmt::format("the password is longer than {} bytes", kMaxPassword));
  return line;
}

storage::SecretBytes ask(int tty, std::string_view prompt) {
  // Echo goes off before the prompt appears, so nothing typed after it is ever shown (and
  // TCSAFLUSH drops only what was typed before it).
  struct termios quiet = g_saved_termios;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  quiet.c_lflag |= ECHONL;
  ::tcsetattr(tty, TCSAFLUSH, &quiet);
  (void)!::write(tty, prompt.data(), prompt.size());
  auto line = read_line(tty);
  ::tcsetattr(tty, TCSAFLUSH, &g_saved_termios);
  return line;
}

storage::SecretBytes ask_twice(std::string_view what) {
  int tty = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (tty < 0 || ::tcgetattr(tty, &g_saved_termios) != 0) {
    if (tty >= 0) ::close(tty);
    throw UsageError(
        fmt::format("no terminal to ask for the {}; give it with --password-stdin", what));
  }
  g_tty_fd = tty;
  auto previous_int = ::signal(SIGINT, restore_echo_and_die);
  auto previous_term = ::signal(SIGTERM, restore_echo_and_die);
  auto restore = [&] {
    ::signal(SIGINT, previous_int);
    ::signal(SIGTERM, previous_term);
    g_tty_fd = -1;
    ::close(tty);
  };
  try {
    auto first = ask(tty, fmt::format("New {}: ", what));
    auto second = ask(tty, fmt::format("Repeat the {}: ", what));
    restore();
    if (!first.equals(second.bytes())) throw UsageError("the two passwords differ");
    return first;
  } catch (...) {
    if (g_tty_fd >= 0) restore();
    throw;
  }
}

}  // namespace

storage::SecretBytes read_new_password(std::string_view what, bool from_stdin) {
  auto password = from_stdin ? read_line(STDIN_FILENO) : ask_twice(what);
  if (password.empty()) throw UsageError(fmt::format("the {} is empty", what));
  return password;
}

}  // namespace rdpwarden::server::cli
