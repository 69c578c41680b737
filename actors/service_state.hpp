#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>

#include "pipeline/aggregation.hpp"
#include "pipeline/circuit_breaker.hpp"
#include "pipeline/config.hpp"
#include "pipeline/snapshot.hpp"

namespace nimbus {

// State that must outlive any single actor, so that restarting an actor loses nothing the service
// has already served. It contains the latest observation per venue and pair, each venue's health
// and breaker, the last aggregates, the price history and the directory of live actors.
// Every member function is thread-safe.
class service_state {
 public:
  explicit service_state(service_config config);

  const service_config& config() const { return config_; }

  // -- actor directory ------------------------------------------------------------------------

  void register_actor(const std::string& name, caf::actor handle);
  caf::actor find_actor(const std::string& name) const;
  std::vector<std::string> actor_names() const;

  // Drops every handle; called before the actor system is destroyed, which must outlive them.
  void clear_actors();

  // -- venue health and polling -----------------------------------------------------------------

  // Whether the fetcher may send a request now, and when it should next wake up.
  bool allow_request(const std::string& venue, std::chrono::steady_clock::time_point now);
  std::chrono::steady_clock::time_point next_poll_not_before(const std::string& venue) const;

  // Records a normalised result: health, breaker, rate-limit back-off and the observation.
  void record_result(const std::string& venue, const std::string& pair, bool ok,
                     const std::optional<quote>& value, const std::optional<fetch_error>& error,
                     timestamp received_at);

  void record_restart(const std::string& venue);
  void set_venue_state(const std::string& venue, const std::string& state);

  // -- aggregation ------------------------------------------------------------------------------

  // Recomputes every pair at time now and returns the new snapshot. The result also becomes the
  // previous aggregate that an unavailable pair carries over.
  std::shared_ptr<const aggregate_snapshot> aggregate_all(timestamp now);

 private:
  struct venue_entry {
    venue_health health;
    circuit_breaker breaker;
    std::chrono::steady_clock::time_point not_before{};  // rate-limit back-off
    std::string last_error_signature;  // for summarising repeated identical failures
    std::int64_t repeats = 0;
    // When the half-open breaker let its probe through. Cleared when any result is recorded.
    std::optional<std::chrono::steady_clock::time_point> probe_sent_at;
    // How long after probe_sent_at the probe's result counts as lost: the venue's request
    // timeout plus probe_result_grace.
    std::chrono::milliseconds probe_result_deadline{0};
  };

  venue_entry& venue(const std::string& name);
  void expire_lost_probe(venue_entry& entry, std::chrono::steady_clock::time_point now);
  void append_history(const pair_aggregate& aggregate, timestamp now);
  void log_failure(venue_entry& entry, const std::string& pair, const fetch_error& error);

  service_config config_;
  mutable std::mutex mutex_;
  std::map<std::string, caf::actor> actors_;
  std::map<std::string, venue_entry> venues_;
  std::map<std::string, std::map<std::string, venue_observation>> observations_;  // pair -> venue
  std::map<std::string, pair_aggregate> last_aggregates_;
  history_map history_;
  std::shared_ptr<const history_map> published_history_;  // copied only when history_ changes
  bool history_changed_ = false;
};

}  // namespace nimbus
