#pragma once

// Typed messages between the pipeline actors, with CAF 0.17 inspect functions and atoms. Every
// type here is registered with the actor system in register_message_types().

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <caf/all.hpp>

#include "pipeline/fetch_error.hpp"
#include "pipeline/quote.hpp"
#include "pipeline/snapshot.hpp"

namespace nimbus {

// Atoms are at most 10 characters in CAF 0.17.
using poll_atom = caf::atom_constant<caf::atom("poll")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using publish_atom = caf::atom_constant<caf::atom("publish")>;
using restart_atom = caf::atom_constant<caf::atom("restart")>;
using kill_atom = caf::atom_constant<caf::atom("killactor")>;

// One HTTP exchange with a venue, as the fetcher saw it: a response of any status, or a transport
// failure (timeout, refused, reset, body too large).
struct fetched_response {
  std::string venue;
  std::string pair;
  int status = 0;
  std::string body;
  std::int64_t retry_after_seconds = -1;  // -1 when the response had no Retry-After
  timestamp received_at{};
  std::chrono::nanoseconds duration{0};
  bool transport_failed = false;
  fetch_error transport_error;
};

// A normalised fetch: a valid quote, or a typed error.
struct venue_result {
  std::string venue;
  std::string pair;
  bool ok = false;
  quote value;
  fetch_error error;
  timestamp received_at{};
  std::chrono::nanoseconds duration{0};
};

// A new aggregate snapshot for the HTTP actor and the metrics publisher. The pointer is shared,
// immutable and process-local: snapshots are never sent to another node.
struct snapshot_message {
  std::shared_ptr<const aggregate_snapshot> snapshot;
};

// Wraps a std::optional member for CAF 0.17 inspectors, which only know caf::optional.
template <class T>
struct optional_field {
  std::optional<T>& value;
};

template <class T>
struct optional_load_helper {
  bool& present;
  T& storage;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, optional_load_helper& x) {
    return x.present ? f(x.storage) : f();
  }
};

template <class Inspector, class T>
typename std::enable_if<Inspector::reads_state, typename Inspector::result_type>::type inspect(
    Inspector& f, optional_field<T>& x) {
  return x.value ? f(true, *x.value) : f(false);
}

template <class Inspector, class T>
typename std::enable_if<Inspector::writes_state, typename Inspector::result_type>::type inspect(
    Inspector& f, optional_field<T>& x) {
  bool present = false;
  T storage{};
  optional_load_helper<T> helper{present, storage};
  auto result = f(present, helper);
  if (present) {
    x.value = std::move(storage);
  } else {
    x.value.reset();
  }
  return result;
}

template <class T>
optional_field<T> optional_of(std::optional<T>& value) {
  return {value};
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, quote& x) {
  auto bid = optional_of(x.bid);
  auto ask = optional_of(x.ask);
  auto last = optional_of(x.last);
  auto volume = optional_of(x.base_volume_24h);
  auto venue_time = optional_of(x.venue_time);
  return f(caf::meta::type_name("quote"), x.venue, x.pair, bid, ask, last, volume, venue_time,
           x.received_at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fetch_error& x) {
  auto retry_after = optional_of(x.retry_after);
  return f(caf::meta::type_name("fetch_error"), x.category, x.detail, x.http_status, x.venue_code,
           retry_after, x.transient);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fetched_response& x) {
  return f(caf::meta::type_name("fetched_response"), x.venue, x.pair, x.status, x.body,
           x.retry_after_seconds, x.received_at, x.duration, x.transport_failed,
           x.transport_error);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, venue_result& x) {
  return f(caf::meta::type_name("venue_result"), x.venue, x.pair, x.ok, x.value, x.error,
           x.received_at, x.duration);
}

// snapshot_message carries a pointer, so it can be shown but not serialized.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, snapshot_message& x) {
  std::string summary = x.snapshot ? std::to_string(x.snapshot->pairs.size()) + " pairs" : "empty";
  return f(caf::meta::type_name("snapshot_message"), summary);
}

// Registers every message type with its type name, so CAF can type-check and print them.
void register_message_types(caf::actor_system_config& config);

}  // namespace nimbus
