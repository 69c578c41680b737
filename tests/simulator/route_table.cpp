#include "tests/simulator/route_table.hpp"

#include <stdexcept>
#include <utility>

#include "pipeline/json_writer.hpp"

namespace nimbus::sim {

void route_table::set_response(std::string target, response reply) {
  auto shared = std::make_shared<const response>(std::move(reply));
  std::lock_guard lock(mutex_);
  routes_.insert_or_assign(std::move(target), route{std::move(shared)});
}

void route_table::set_script(std::string target, std::vector<script_step> steps) {
  if (steps.empty()) {
    throw std::invalid_argument("script for '" + target + "' has no steps; give at least one");
  }
  for (std::size_t i = 0; i + 1 < steps.size(); ++i) {
    if (!steps[i].requests && !steps[i].duration) {
      throw std::invalid_argument("script step " + std::to_string(i) + " for '" + target +
                                  "' never ends; set its requests or duration");
    }
  }

  script_state script;
  for (auto& step : steps) {
    script.replies.push_back(std::make_shared<const response>(std::move(step.reply)));
    step.reply = response{};
  }
  script.limits = std::move(steps);
  script.active_since = clock::now();

  std::lock_guard lock(mutex_);
  routes_.insert_or_assign(std::move(target), route{std::move(script)});
}

void route_table::set_handler(std::string target, response_handler handler) {
  std::lock_guard lock(mutex_);
  routes_.insert_or_assign(std::move(target), route{std::move(handler)});
}

void route_table::remove(const std::string& target) {
  std::lock_guard lock(mutex_);
  routes_.erase(target);
}

void route_table::clear() {
  std::lock_guard lock(mutex_);
  routes_.clear();
}

route_decision route_table::resolve(std::string_view method, std::string_view target,
                                    clock::time_point now) {
  route_decision decision;
  decision.info.method = std::string(method);
  decision.info.target = std::string(target);
  decision.info.received_at = now;

  {
    std::lock_guard lock(mutex_);
    auto counted = counts_.find(target);
    if (counted == counts_.end()) {
      counted = counts_.emplace(std::string(target), 0).first;
    }
    decision.info.sequence = ++counted->second;
    ++total_count_;

    auto found = routes_.find(target);
    if (found != routes_.end()) {
      if (auto* fixed = std::get_if<std::shared_ptr<const response>>(&found->second)) {
        decision.reply = *fixed;
      } else if (auto* script = std::get_if<script_state>(&found->second)) {
        decision.reply = next_script_reply(*script, now);
      } else {
        decision.handler = std::get<response_handler>(found->second);
      }
    }
  }
  request_counted_.notify_all();

  if (!decision.reply && !decision.handler) {
    decision.reply = not_found(target);
  }
  return decision;
}

// Advances past steps whose request budget or duration is used up, then serves the active step.
std::shared_ptr<const response> route_table::next_script_reply(script_state& script,
                                                               clock::time_point now) {
  auto is_last = [&] { return script.active + 1 == script.replies.size(); };

  while (!is_last()) {
    const auto& step = script.limits[script.active];
    bool out_of_requests = step.requests && script.served_by_active >= *step.requests;
    bool out_of_time = step.duration && now - script.active_since >= *step.duration;
    if (!out_of_requests && !out_of_time) {
      break;
    }

    // A timed step ends at a fixed instant, and the next one starts there rather than now. This
    // keeps "503 for 2 s, then 200" exact however sparse the requests are.
    script.active_since =
        out_of_time && !out_of_requests ? script.active_since + *step.duration : now;
    ++script.active;
    script.served_by_active = 0;
  }

  ++script.served_by_active;
  return script.replies[script.active];
}

std::shared_ptr<const response> route_table::not_found(std::string_view target) {
  response reply;
  reply.status = 404;
  reply.body = R"({"error":"no route for this target","target":)";
  append_json_string(reply.body, target);
  reply.body += "}";
  return std::make_shared<const response>(std::move(reply));
}

std::uint64_t route_table::request_count(std::string_view target) const {
  std::lock_guard lock(mutex_);
  auto counted = counts_.find(target);
  return counted == counts_.end() ? 0 : counted->second;
}

std::uint64_t route_table::total_request_count() const {
  std::lock_guard lock(mutex_);
  return total_count_;
}

void route_table::reset_counts() {
  std::lock_guard lock(mutex_);
  counts_.clear();
  total_count_ = 0;
}

bool route_table::wait_for_requests(std::string_view target, std::uint64_t count,
                                    std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return request_counted_.wait_for(lock, timeout, [&] {
    auto counted = counts_.find(target);
    return counted != counts_.end() && counted->second >= count;
  });
}

}  // namespace nimbus::sim
