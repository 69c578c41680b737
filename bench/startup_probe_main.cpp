// nimbus-bench-startup: measures the time from starting a server process to its first accepted TCP
// connection. It picks a free loopback port, replaces "{port}" in the command's arguments with it,
// forks and execs the command, then tries connect() to 127.0.0.1:port every 100 microseconds. The
// time runs from just before fork() to the first successful connect(), so it includes exec,
// dynamic linking, configuration loading and the server's own start-up. The process is then
// stopped with SIGTERM. Prints one line per run and the median.
//
// Usage: nimbus-bench-startup [--runs N] [--child-log FILE] -- COMMAND [ARGS...]
//        nimbus-bench-startup --free-port   (prints a free loopback port, for other servers)

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using std::chrono::steady_clock;

constexpr auto connect_deadline = std::chrono::seconds{10};
constexpr auto stop_deadline = std::chrono::seconds{10};

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// Binds port 0 and releases it. If another process takes the port before the server binds it, the
// run fails with a connect timeout rather than reporting a wrong number.
std::uint16_t free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof(address);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::perror("nimbus-bench-startup: cannot pick a free port");
    std::exit(1);
  }
  close(fd);
  return ntohs(address.sin_port);
}

bool accepts_connections(std::uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = loopback(port);
  bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return connected;
}

pid_t start(const std::vector<std::string>& command, const std::string& child_log) {
  std::vector<char*> argv;
  for (const auto& argument : command) {
    argv.push_back(const_cast<char*>(argument.c_str()));
  }
  argv.push_back(nullptr);

  pid_t pid = fork();
  if (pid == 0) {
    int log_fd = open(child_log.empty() ? "/dev/null" : child_log.c_str(),
                      O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    execv(argv[0], argv.data());
    std::perror("nimbus-bench-startup: exec failed");
    _exit(127);
  }
  return pid;
}

// Sends SIGTERM and waits. SIGKILL follows after stop_deadline, so a hung server cannot hang the
// run.
void stop(pid_t pid) {
  kill(pid, SIGTERM);
  auto deadline = steady_clock::now() + stop_deadline;
  while (waitpid(pid, nullptr, WNOHANG) == 0) {
    if (steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
}

// Returns milliseconds to the first accepted connection, or a negative value on failure.
double measure_once(std::vector<std::string> command, const std::string& child_log) {
  std::uint16_t port = free_port();
  for (auto& argument : command) {
    if (auto at = argument.find("{port}"); at != std::string::npos) {
      argument.replace(at, 6, std::to_string(port));
    }
  }

  auto started = steady_clock::now();
  pid_t pid = start(command, child_log);
  double elapsed_ms = -1;
  while (steady_clock::now() - started < connect_deadline) {
    if (accepts_connections(port)) {
      elapsed_ms = std::chrono::duration<double, std::milli>(steady_clock::now() - started).count();
      break;
    }
    if (waitpid(pid, nullptr, WNOHANG) == pid) {
      std::fprintf(stderr, "nimbus-bench-startup: %s exited before accepting connections\n",
                   command[0].c_str());
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::microseconds{100});
  }
  stop(pid);
  return elapsed_ms;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 10;
  std::string child_log;
  std::vector<std::string> command;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    if (argument == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (argument == "--free-port") {
      std::printf("%u\n", static_cast<unsigned>(free_port()));
      return 0;
    } else if (argument == "--child-log" && i + 1 < argc) {
      child_log = argv[++i];
    } else if (argument == "--") {
      command.assign(argv + i + 1, argv + argc);
      break;
    } else {
      std::fprintf(stderr,
                   "usage: nimbus-bench-startup [--runs N] [--child-log FILE] -- COMMAND "
                   "[ARGS...], with {port} where the command takes its port; or "
                   "nimbus-bench-startup --free-port\n");
      return 2;
    }
  }
  if (command.empty()) {
    std::fprintf(stderr, "nimbus-bench-startup: missing command after --\n");
    return 2;
  }

  std::vector<double> times;
  for (int run = 1; run <= runs; ++run) {
    double elapsed_ms = measure_once(command, child_log);
    if (elapsed_ms < 0) {
      std::fprintf(stderr, "nimbus-bench-startup: run %d: no connection accepted within 10 s\n",
                   run);
      return 1;
    }
    std::printf("run %d: %.2f ms\n", run, elapsed_ms);
    times.push_back(elapsed_ms);
  }
  std::sort(times.begin(), times.end());
  std::size_t middle = times.size() / 2;
  double median = times.size() % 2 == 1 ? times[middle] : (times[middle - 1] + times[middle]) / 2;
  std::printf("start_to_accept_ms median %.2f min %.2f max %.2f runs %d\n", median, times.front(),
              times.back(), runs);
  return 0;
}
