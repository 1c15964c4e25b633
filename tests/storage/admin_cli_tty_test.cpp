// Passwords typed at a terminal: the CLI asks twice, without echo, on its controlling tty.
#include <csignal>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

using namespace rdpwarden::test;
using namespace std::chrono_literals;

namespace {

// Drives one CLI run on a fresh pseudo-terminal: answers each expected prompt in turn.
struct TtyRun {
  int exit_code = -1;
  std::string transcript;
};

TtyRun run_on_tty(const CliFixture& f, const std::vector<std::string>& args,
                  const std::vector<std::pair<std::string, std::string>>& dialogue) {
  std::vector<std::string> argv{rdpwarden_bin().string(), "--config", f.config.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv)
    cargv.push_back(a.data());
  cargv.push_back(nullptr);
  int master = -1;
  pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  REQUIRE(pid >= 0);
  if (pid == 0) {
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  TtyRun result;
  std::size_t step = 0;
  auto deadline = std::chrono::steady_clock::now() + 120s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (step < dialogue.size() &&
        result.transcript.find(dialogue[step].first) != std::string::npos) {
      result.transcript.clear();  // the next prompt must come after this answer
      std::string answer = dialogue[step].second + "\n";
      REQUIRE(write(master, answer.data(), answer.size()) == static_cast<ssize_t>(answer.size()));
      ++step;
    }
    pollfd p{master, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    char buf[512];
    ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0) break;  // EIO once the child has exited
    result.transcript.append(buf, static_cast<std::size_t>(n));
  }
  close(master);
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace

TEST_CASE("a password typed at the terminal is asked twice and never echoed") {
  CliFixture f;
  auto ok = run_on_tty(f, {"user", "add", "ops1"},
                       {{"New password for user ops1: ", "Typed-Secret-55"},
                        {"Repeat the password for user ops1: ", "Typed-Secret-55"}});
  INFO(ok.transcript);
  CHECK(ok.exit_code == 0);
  CHECK(ok.transcript.find("added user ops1 (user)") != std::string::npos);
  CHECK(ok.transcript.find("Typed-Secret") == std::string::npos);
  CHECK(f.cli({"user", "list"}).out.find("ops1") != std::string::npos);

  auto differ = run_on_tty(
      f, {"user", "passwd", "ops1"},
      {{"New password for user ops1: ", "one"}, {"Repeat the password for user ops1: ", "two"}});
  INFO(differ.transcript);
  CHECK(differ.exit_code == 2);
  CHECK(differ.transcript.find("rdpwarden: the two passwords differ") != std::string::npos);
  CHECK(f.psql("SELECT count(*) FROM audit_log WHERE action = 'user.passwd'").out == "0\n");
}
