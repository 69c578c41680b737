#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/simulator/test_http_client.hpp"
#include "tests/simulator/venue_bodies.hpp"

extern char** environ;

namespace nimbus::sim {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Runs exchange-simulator with `arguments` and --port-file, its stdout going to a file, both in a
// fresh temporary folder.
class simulator_process {
 public:
  explicit simulator_process(std::vector<std::string> arguments) {
    folder_ = fs::temp_directory_path() / ("exchange-simulator-test-" + std::to_string(::getpid()) +
                                           "-" + std::to_string(counter_++));
    fs::create_directories(folder_);

    std::vector<std::string> argv_text = {NIMBUS_EXCHANGE_SIMULATOR_BINARY};
    argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
    argv_text.push_back("--port-file");
    argv_text.push_back(port_file().string());
    std::vector<char*> argv;
    for (auto& argument : argv_text) {
      argv.push_back(argument.data());
    }
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_path().c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int failed = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (failed != 0) {
      pid_ = -1;
    }
  }

  ~simulator_process() {
    if (pid_ > 0 && !exit_status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }

  bool started() const { return pid_ > 0; }
  fs::path port_file() const { return folder_ / "port"; }
  fs::path stdout_path() const { return folder_ / "stdout.log"; }
  std::string output() const { return read_file(stdout_path()); }

  // Polls for the port file until `timeout`; 0 when it never appeared.
  int wait_for_port(std::chrono::milliseconds timeout) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (fs::exists(port_file())) {
        return std::stoi(read_file(port_file()));
      }
      std::this_thread::sleep_for(20ms);
    }
    return 0;
  }

  // Polls for the process to exit until `timeout`; its wait status, or nullopt if still running.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_status_ = status;
        return status;
      }
      std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
  }

  void signal(int number) const { ::kill(pid_, number); }

 private:
  static inline int counter_ = 0;
  fs::path folder_;
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
};

TEST(ExchangeSimulatorBinary, ServesDemoAndStopsOnSigterm) {
  simulator_process process({"--listen", "127.0.0.1:0", "--scenario", "demo", "--seed", "11"});
  ASSERT_TRUE(process.started());
  int port = process.wait_for_port(10s);
  ASSERT_NE(port, 0) << "no port file; output:\n" << process.output();

  auto reply = test_http_client().get("http://127.0.0.1:" + std::to_string(port) +
                                      venue_route("binance", "BTC-USDT"));
  process.signal(SIGTERM);
  auto status = process.wait_for_exit(5s);

  EXPECT_EQ(reply.status, 200) << reply.error;
  EXPECT_EQ(reply.headers["x-simulator-body"], "synthetic");
  EXPECT_NE(reply.body.find(R"("symbol":"BTCUSDT")"), std::string::npos) << reply.body;
  ASSERT_TRUE(status.has_value()) << "still running 5 s after SIGTERM";
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0);
  auto output = process.output();
  EXPECT_NE(output.find(R"("msg":"exchange simulator started")"), std::string::npos) << output;
  EXPECT_NE(output.find(R"("msg":"exchange simulator stopped")"), std::string::npos) << output;
  EXPECT_NE(output.find(R"("scenario":"demo")"), std::string::npos) << output;
}

TEST(ExchangeSimulatorBinary, ServesReplayAndStopsOnSigint) {
  simulator_process process({"--scenario", "replay"});
  ASSERT_TRUE(process.started());
  int port = process.wait_for_port(10s);
  ASSERT_NE(port, 0) << "no port file; output:\n" << process.output();

  auto reply = test_http_client().get("http://127.0.0.1:" + std::to_string(port) +
                                      venue_route("okx", "BTC-USDT"));
  process.signal(SIGINT);
  auto status = process.wait_for_exit(5s);

  EXPECT_EQ(reply.status, 200) << reply.error;
  EXPECT_EQ(reply.headers["x-simulator-body"], "recorded");
  EXPECT_NE(reply.body.find(R"("bidPx":"16839")"), std::string::npos) << reply.body;
  ASSERT_TRUE(status.has_value()) << "still running 5 s after SIGINT";
  EXPECT_EQ(WEXITSTATUS(*status), 0);
}

TEST(ExchangeSimulatorBinary, RejectsInvalidListenAddress) {
  simulator_process process({"--listen", "localhost-without-port"});
  ASSERT_TRUE(process.started());

  auto status = process.wait_for_exit(5s);

  ASSERT_TRUE(status.has_value());
  EXPECT_NE(WEXITSTATUS(*status), 0);
  EXPECT_FALSE(std::filesystem::exists(process.port_file()));
}

}  // namespace
}  // namespace nimbus::sim
