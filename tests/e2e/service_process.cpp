#include "tests/e2e/service_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <curl/curl.h>

extern char** environ;

namespace nimbus::e2e {
namespace {

std::string make_temporary_directory() {
  std::string pattern = "/tmp/nimbus-e2e-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  return pattern;
}

std::size_t append_to_string(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

}  // namespace

service_process::service_process(const std::string& config_yaml,
                                 std::vector<std::string> extra_args)
    : directory_(make_temporary_directory()),
      port_file_(directory_ + "/port"),
      log_file_(directory_ + "/service.log") {
  std::string config_path = directory_ + "/config.yaml";
  std::ofstream(config_path) << config_yaml;

  std::vector<std::string> args = {NIMBUS_BINARY, "--config", config_path, "--listen",
                                   "127.0.0.1:0", "--port-file", port_file_};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (auto& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  // Boost.Asio opens sockets without FD_CLOEXEC; without this the service would inherit the
  // simulator's listening socket and keep accepting on it after refuse_connections().
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  int error = posix_spawn(&pid_, NIMBUS_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    throw std::runtime_error("posix_spawn of " + std::string(NIMBUS_BINARY) + " failed");
  }
}

service_process::~service_process() {
  if (running()) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::string remove = "rm -rf '" + directory_ + "'";
  (void)std::system(remove.c_str());
}

bool service_process::running() {
  if (exit_code_ || pid_ <= 0) {
    return false;
  }
  int status = 0;
  pid_t result = waitpid(pid_, &status, WNOHANG);
  if (result == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return true;
}

bool service_process::wait_until_listening(std::chrono::milliseconds timeout) {
  return eventually(
      [&] {
        std::ifstream file(port_file_);
        int port = 0;
        if (file >> port && port > 0) {
          port_ = static_cast<std::uint16_t>(port);
          return true;
        }
        return false;
      },
      timeout);
}

std::string service_process::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::optional<int> service_process::wait_for_exit(std::chrono::milliseconds timeout) {
  eventually([&] { return !running(); }, timeout);
  return exit_code_;
}

std::optional<int> service_process::terminate(std::chrono::milliseconds timeout) {
  if (running()) {
    kill(pid_, SIGTERM);
  }
  return wait_for_exit(timeout);
}

std::string service_process::log_text() const {
  std::ifstream file(log_file_);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::uint16_t pick_free_port() {
  int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(socket_fd);
  return ntohs(address.sin_port);
}

http_result http_request(const std::string& method, const std::string& url,
                         const std::vector<std::string>& extra_headers,
                         std::chrono::milliseconds timeout) {
  http_result result;
  CURL* curl = curl_easy_init();
  curl_slist* headers = nullptr;
  for (const auto& header : extra_headers) {
    headers = curl_slist_append(headers, header.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_to_string);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, append_to_string);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return result;
}

}  // namespace nimbus::e2e
