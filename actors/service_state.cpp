#include "actors/service_state.hpp"

#include <fmt/format.h>

#include "pipeline/log.hpp"

namespace nimbus {
namespace {

// How long a venue waits after a rate-limit signal that names no Retry-After.
constexpr std::chrono::seconds default_rate_limit_backoff{30};

// Time allowed beyond the request timeout for a probe's result to pass through the normaliser and
// the aggregator, which takes milliseconds while both are running.
constexpr std::chrono::seconds probe_result_grace{1};

std::string error_signature(const fetch_error& error) {
  return fmt::format("{}|{}|{}|{}", to_string(error.category), error.http_status, error.venue_code,
                     error.detail);
}

// The USD symbol a pair contributes to the compatibility history, or empty.
std::string history_symbol(const std::string& pair) {
  constexpr std::string_view suffix = "-USD";
  if (pair.size() > suffix.size() && pair.ends_with(suffix)) {
    return pair.substr(0, pair.size() - suffix.size());
  }
  return {};
}

}  // namespace

service_state::service_state(service_config config) : config_(std::move(config)) {
  auto history = std::make_shared<history_map>();
  for (const auto& venue_settings : config_.venues) {
    if (!venue_settings.enabled) {
      continue;
    }
    venue_entry entry{venue_health{}, circuit_breaker{config_.breaker}, {}, {}, 0, std::nullopt,
                      venue_settings.request_timeout + probe_result_grace};
    entry.health.venue = venue_settings.name;
    venues_.emplace(venue_settings.name, std::move(entry));
  }
  for (const auto& pair : config_.configured_pairs()) {
    auto& by_venue = observations_[pair];
    for (const auto& venue_name : config_.venues_for(pair)) {
      by_venue[venue_name].venue = venue_name;
    }
    if (auto symbol = history_symbol(pair); !symbol.empty()) {
      history_[symbol];
    }
  }
}

void service_state::register_actor(const std::string& name, caf::actor handle) {
  std::lock_guard lock(mutex_);
  actors_[name] = std::move(handle);
}

caf::actor service_state::find_actor(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto found = actors_.find(name);
  return found == actors_.end() ? caf::actor{} : found->second;
}

std::vector<std::string> service_state::actor_names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [name, handle] : actors_) {
    names.push_back(name);
  }
  return names;
}

void service_state::clear_actors() {
  std::lock_guard lock(mutex_);
  actors_.clear();
}

service_state::venue_entry& service_state::venue(const std::string& name) {
  auto found = venues_.find(name);
  if (found == venues_.end()) {
    venue_entry entry{venue_health{}, circuit_breaker{config_.breaker}, {}, {}, 0, std::nullopt,
                      config_.venue_defaults.request_timeout + probe_result_grace};
    entry.health.venue = name;
    found = venues_.emplace(name, std::move(entry)).first;
  }
  return found->second;
}

bool service_state::allow_request(const std::string& venue_name,
                                  std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto& entry = venue(venue_name);
  if (now < entry.not_before) {
    return false;
  }
  expire_lost_probe(entry, now);
  bool allowed = entry.breaker.allow_request(now);
  auto state = entry.breaker.current_state(now);
  if (allowed && state == circuit_breaker::state::half_open) {
    entry.probe_sent_at = now;
  }
  entry.health.breaker_state = to_string(state);
  return allowed;
}

// A probe's result reaches the breaker through the normaliser and the aggregator, and is lost when
// either of them (or the fetcher) is killed meanwhile. The half-open breaker would then wait for it
// forever and the venue would never be polled again, so a probe without a result long after its
// request timeout counts as failed: the breaker opens again and probes after open_duration_ms.
void service_state::expire_lost_probe(venue_entry& entry,
                                      std::chrono::steady_clock::time_point now) {
  if (!entry.probe_sent_at || now - *entry.probe_sent_at < entry.probe_result_deadline) {
    return;
  }
  auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - *entry.probe_sent_at);
  entry.probe_sent_at.reset();
  if (entry.breaker.current_state(now) != circuit_breaker::state::half_open) {
    return;
  }
  entry.breaker.record_failure(now);
  log::warn(
      "circuit breaker probe result lost; counting the probe as failed",
      {{"venue", entry.health.venue}, {"waited_ms", static_cast<std::int64_t>(waited.count())}});
}

std::chrono::steady_clock::time_point service_state::next_poll_not_before(
    const std::string& venue_name) const {
  std::lock_guard lock(mutex_);
  auto found = venues_.find(venue_name);
  if (found == venues_.end()) {
    return {};
  }
  auto not_before = found->second.not_before;
  auto now = std::chrono::steady_clock::now();
  if (found->second.breaker.current_state(now) == circuit_breaker::state::open) {
    not_before = std::max(not_before, found->second.breaker.reopens_at());
  }
  return not_before;
}

void service_state::log_failure(venue_entry& entry, const std::string& pair,
                                const fetch_error& error) {
  std::string signature = error_signature(error);
  if (signature == entry.last_error_signature) {
    ++entry.repeats;
    // Identical failures are summarised every 100 repeats rather than logged per poll.
    if (entry.repeats % 100 == 0) {
      log::warn("venue fetch failure repeated",
                {{"venue", entry.health.venue}, {"pair", pair}, {"repeats", entry.repeats},
                 {"category", to_string(error.category)}, {"error", error.detail}});
    }
    return;
  }
  if (entry.repeats > 0) {
    log::info("previous venue failure stopped repeating",
              {{"venue", entry.health.venue}, {"repeats", entry.repeats}});
  }
  entry.last_error_signature = signature;
  entry.repeats = 0;
  log::warn("venue fetch failed",
            {{"venue", entry.health.venue}, {"pair", pair},
             {"category", to_string(error.category)}, {"http_status", error.http_status},
             {"venue_code", error.venue_code}, {"error", error.detail},
             {"transient", error.transient}});
}

void service_state::record_result(const std::string& venue_name, const std::string& pair, bool ok,
                                  const std::optional<quote>& value,
                                  const std::optional<fetch_error>& error, timestamp received_at) {
  std::lock_guard lock(mutex_);
  auto& entry = venue(venue_name);
  auto now = std::chrono::steady_clock::now();
  std::string previous_state = entry.health.state;
  ++entry.health.fetches;

  entry.probe_sent_at.reset();

  auto& observation = observations_[pair][venue_name];
  observation.venue = venue_name;
  if (ok && value) {
    observation.latest_quote = value;
    entry.breaker.record_success();
    entry.health.last_success = received_at;
    entry.health.consecutive_failures = 0;
    entry.health.state = "ok";
    if (entry.repeats > 0 || !entry.last_error_signature.empty()) {
      entry.last_error_signature.clear();
      entry.repeats = 0;
    }
  } else if (error) {
    observation.latest_error = error;
    observation.latest_error_at = received_at;
    entry.breaker.record_failure(now);
    ++entry.health.failures;
    ++entry.health.consecutive_failures;
    entry.health.last_error = error;
    entry.health.last_error_at = received_at;
    entry.health.state = "failing";
    if (error->category == error_category::rate_limited) {
      auto backoff = error->retry_after.value_or(default_rate_limit_backoff);
      entry.not_before = now + backoff;
    }
    log_failure(entry, pair, *error);
  }

  auto breaker_state = entry.breaker.current_state(now);
  entry.health.breaker_state = to_string(breaker_state);
  if (breaker_state == circuit_breaker::state::open) {
    entry.health.state = "open";
  }
  if (entry.health.state != previous_state) {
    log::info("venue state changed", {{"venue", venue_name},
                                      {"from", previous_state},
                                      {"to", entry.health.state},
                                      {"breaker", entry.health.breaker_state}});
  }
}

void service_state::record_restart(const std::string& venue_name) {
  std::lock_guard lock(mutex_);
  ++venue(venue_name).health.restarts;
}

void service_state::set_venue_state(const std::string& venue_name, const std::string& state) {
  std::lock_guard lock(mutex_);
  auto& entry = venue(venue_name);
  if (entry.health.state != state) {
    log::info("venue state changed",
              {{"venue", venue_name}, {"from", entry.health.state}, {"to", state}});
    entry.health.state = state;
  }
}

void service_state::append_history(const pair_aggregate& aggregate, timestamp now) {
  std::string symbol = history_symbol(aggregate.pair);
  if (symbol.empty() || aggregate.stale || !aggregate.price || !aggregate.as_of) {
    return;
  }
  auto& points = history_[symbol];
  double as_of_seconds = to_unix_seconds(*aggregate.as_of);
  if (!points.empty() && points.back().unix_seconds >= as_of_seconds) {
    return;
  }
  (void)now;
  points.push_back({as_of_seconds, *aggregate.price});
  history_changed_ = true;
  if (points.size() > config_.history_size) {
    points.erase(points.begin(), points.begin() + static_cast<std::ptrdiff_t>(points.size() -
                                                                              config_.history_size));
  }
}

std::shared_ptr<const aggregate_snapshot> service_state::aggregate_all(timestamp now) {
  std::lock_guard lock(mutex_);
  auto snapshot = std::make_shared<aggregate_snapshot>();
  snapshot->generated_at = now;

  for (const auto& [pair, by_venue] : observations_) {
    std::vector<venue_observation> observations;
    observations.reserve(by_venue.size());
    for (const auto& [venue_name, observation] : by_venue) {
      observations.push_back(observation);
    }
    auto previous = last_aggregates_.find(pair);
    const pair_aggregate* previous_aggregate =
        previous == last_aggregates_.end() ? nullptr : &previous->second;
    const pair_policy& policy = config_.policy_for(pair);
    pair_aggregate aggregate = aggregate_pair(pair, observations, policy, now, previous_aggregate);
    append_history(aggregate, now);
    snapshot->policies[pair] = policy;
    snapshot->pairs.push_back(aggregate);
    last_aggregates_[pair] = std::move(aggregate);
  }

  auto steady_now = std::chrono::steady_clock::now();
  for (auto& [venue_name, entry] : venues_) {
    entry.health.breaker_state = to_string(entry.breaker.current_state(steady_now));
    snapshot->venues.push_back(entry.health);
  }
  if (history_changed_ || !published_history_) {
    published_history_ = std::make_shared<const history_map>(history_);
    history_changed_ = false;
  }
  snapshot->history = published_history_;
  return snapshot;
}

}  // namespace nimbus
