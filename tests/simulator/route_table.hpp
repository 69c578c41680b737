#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tests/simulator/response.hpp"

namespace nimbus::sim {

// The response chosen for one request: either a ready response or a handler to call outside the
// table's lock.
struct route_decision {
  std::shared_ptr<const response> reply;  // empty when handler is set
  response_handler handler;
  request_info info;
};

// Routes keyed by exact request target (path and query), with per-target request counts. Every
// member function is thread-safe, so a test can change routes while the server resolves requests.
class route_table {
 public:
  using clock = std::chrono::steady_clock;

  void set_response(std::string target, response reply);

  // Throws std::invalid_argument when `steps` is empty or a step before the last has neither a
  // request limit nor a duration.
  void set_script(std::string target, std::vector<script_step> steps);

  void set_handler(std::string target, response_handler handler);

  void remove(const std::string& target);
  void clear();

  // Counts the request against its target and picks its response: the route's response, the active
  // script step or the handler. A target with no route gets a 404 with a JSON body.
  route_decision resolve(std::string_view method, std::string_view target, clock::time_point now);

  std::uint64_t request_count(std::string_view target) const;
  std::uint64_t total_request_count() const;
  void reset_counts();

  // Waits until `target` has at least `count` requests or `timeout` passes. Returns whether the
  // count was reached.
  bool wait_for_requests(std::string_view target, std::uint64_t count,
                         std::chrono::milliseconds timeout) const;

 private:
  struct script_state {
    std::vector<std::shared_ptr<const response>> replies;
    std::vector<script_step> limits;  // the steps with their replies moved out
    std::size_t active = 0;
    std::uint64_t served_by_active = 0;
    clock::time_point active_since;
  };

  using route = std::variant<std::shared_ptr<const response>, script_state, response_handler>;

  static std::shared_ptr<const response> next_script_reply(script_state& script,
                                                           clock::time_point now);
  static std::shared_ptr<const response> not_found(std::string_view target);

  mutable std::mutex mutex_;
  mutable std::condition_variable request_counted_;
  std::map<std::string, route, std::less<>> routes_;
  std::map<std::string, std::uint64_t, std::less<>> counts_;
  std::uint64_t total_count_ = 0;
};

}  // namespace nimbus::sim
