// Exchange faults: one venue among three healthy ones responds with an error, garbage, too much,
// too slowly or not at all. The service must name the error category, drop the venue's quote once
// it is older than max_quote_age_ms, keep the median of the healthy venues, and use the venue again
// as soon as it heals. Rate limits and hung venues must delay only the venue concerned.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <mutex>

#include <fmt/format.h>

#include "tests/faults/fault_harness.hpp"
#include "tests/faults/reset_server.hpp"
#include "tests/simulator/venue_bodies.hpp"

namespace nimbus::faults {
namespace {

// Venues that stay healthy while another one fails.
const std::vector<std::string> healthy_pool = {"binance", "okx", "bybit", "gate"};

// The faulty venue first, then three healthy ones.
std::vector<std::string> venues_around(const std::string& faulty) {
  std::vector<std::string> venues = {faulty};
  for (const auto& venue : healthy_pool) {
    if (venue != faulty && venues.size() < 4) {
      venues.push_back(venue);
    }
  }
  return venues;
}

std::vector<double> mids_of(const std::vector<std::string>& venues) {
  std::vector<double> mids;
  for (const auto& venue : venues) {
    mids.push_back(healthy_mid(venue));
  }
  return mids;
}

timestamp utc_now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

// What a fault case may touch: the venues and, for a reset mid-body, the raw server.
struct fault_scene {
  venue_farm& farm;
  std::string venue;
  reset_server* resetter = nullptr;
};

using scene_action = std::function<void(fault_scene&)>;

struct fault_case {
  fault_case(std::string case_name, std::string faulty_venue, std::string error_category,
             std::string exclusion_reason, scene_action inject_fault)
      : name(std::move(case_name)),
        venue(std::move(faulty_venue)),
        category(std::move(error_category)),
        reason(std::move(exclusion_reason)),
        inject(std::move(inject_fault)) {}

  fault_case healed_by(scene_action action) const {
    fault_case copy = *this;
    copy.heal = std::move(action);
    return copy;
  }

  fault_case with_detail(std::string word) const {
    fault_case copy = *this;
    copy.detail_contains = std::move(word);
    return copy;
  }

  fault_case with_venue_code(std::string code) const {
    fault_case copy = *this;
    copy.venue_code = std::move(code);
    return copy;
  }

  fault_case behind_reset_server() const {
    fault_case copy = *this;
    copy.needs_reset_server = true;
    return copy;
  }

  std::string name;
  std::string venue;
  // The expected last_error.category and failure metric label. It is empty for a fault that is
  // not a fetch error (the outlier).
  std::string category;
  std::string reason;  // the exclusion reason in /v1/prices/{pair}/sources
  scene_action inject;
  scene_action heal = [](fault_scene& scene) { scene.farm.serve_healthy(scene.venue); };
  bool needs_reset_server = false;
  std::string detail_contains;  // a word the error detail must contain, in any case
  std::string venue_code;       // the venue's own error code, for errors in the body
};

bool contains_ignoring_case(std::string text, std::string word) {
  auto lower = [](std::string& value) {
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  };
  lower(text);
  lower(word);
  return text.find(word) != std::string::npos;
}

scene_action serve(std::function<sim::response(const fault_scene&)> make_reply) {
  return [make_reply](fault_scene& scene) { scene.farm.serve(scene.venue, make_reply(scene)); };
}

sim::response with_status(sim::response reply, int status) {
  reply.status = status;
  return reply;
}

// A Retry-After of one second keeps a rate-limited case short: without it the service waits the
// default 30 s before polling the venue again.
sim::response retry_after_one_second(sim::response reply) {
  reply.headers.emplace_back("Retry-After", "1");
  return reply;
}

sim::response text_response(int status, std::string content_type, std::string body) {
  sim::response reply = sim::json_response(status, std::move(body));
  reply.content_type = std::move(content_type);
  return reply;
}

// The venue's own error body for `kind`, sent with HTTP 200 as these venues do for errors that
// their API reports in the body.
scene_action in_body_error(sim::venue_error_kind kind) {
  return serve([kind](const fault_scene& scene) {
    auto reply =
        with_status(sim::venue_error_response(scene.venue, kind, test_pair, utc_now()), 200);
    return kind == sim::venue_error_kind::rate_limited ? retry_after_one_second(std::move(reply))
                                                       : reply;
  });
}

std::string healthy_body(const std::string& venue) {
  return ticker_at(venue, healthy_mid(venue)).body;
}

constexpr const char* binance_rate_limit_body =
    R"({"code":-1003,"msg":"Too many requests; current limit is 6000 request weight per 1 MINUTE."})";
constexpr const char* binance_ip_ban_body =
    R"({"code":-1003,"msg":"Way too much request weight used; IP banned until 1764877200000."})";

std::vector<fault_case> fault_cases() {
  using sim::venue_error_kind;
  std::vector<fault_case> cases;

  // HTTP status errors without a venue error body.
  cases.push_back(fault_case("Http500", "binance", "http_status", "error", serve([](auto&) {
                               return text_response(500, "text/plain", "Internal Server Error");
                             })));
  cases.push_back(
      fault_case("Http502", "binance", "http_status", "error", serve([](auto&) {
                   return text_response(
                       502, "text/html",
                       "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 "
                       "Bad Gateway</h1></center><hr><center>nginx</center></body></html>");
                 })));
  cases.push_back(
      fault_case("Http503HtmlPage", "binance", "http_status", "error", serve([](auto&) {
                   return text_response(
                       503, "text/html",
                       "<!DOCTYPE html><html><head><title>Maintenance</title></head><body><h1>"
                       "We'll be back soon</h1></body></html>");
                 })));

  // Rate limits signalled by the status code, with Binance's rate-limit body.
  cases.push_back(
      fault_case("Http429RetryAfter", "binance", "rate_limited", "error", serve([](auto&) {
                   return retry_after_one_second(sim::json_response(429, binance_rate_limit_body));
                 }))
          .with_venue_code("-1003"));
  cases.push_back(fault_case("Http418", "binance", "rate_limited", "error", serve([](auto&) {
                               return retry_after_one_second(
                                   sim::json_response(418, binance_ip_ban_body));
                             }))
                      .with_venue_code("-1003"));

  // Each venue's own error inside an HTTP 200 body.
  cases.push_back(fault_case("KrakenServiceUnavailable", "kraken", "venue_error", "error",
                             in_body_error(venue_error_kind::unavailable))
                      .with_venue_code("EService:Unavailable"));
  cases.push_back(fault_case("BybitRetCode10006", "bybit", "rate_limited", "error",
                             in_body_error(venue_error_kind::rate_limited))
                      .with_venue_code("10006"));
  cases.push_back(fault_case("OkxCode50011", "okx", "rate_limited", "error",
                             in_body_error(venue_error_kind::rate_limited))
                      .with_venue_code("50011"));
  cases.push_back(fault_case("HtxStatusError", "htx", "venue_error", "error",
                             in_body_error(venue_error_kind::unavailable))
                      .with_venue_code("gateway-internal-error"));
  cases.push_back(fault_case("KucoinCode429000", "kucoin", "rate_limited", "error",
                             in_body_error(venue_error_kind::rate_limited))
                      .with_venue_code("429000"));
  cases.push_back(fault_case("BitfinexSymbolInvalid", "bitfinex", "unknown_pair", "error",
                             in_body_error(venue_error_kind::unknown_pair))
                      .with_venue_code("10020"));

  // Bodies that are not a ticker.
  cases.push_back(
      fault_case("MalformedJson", "okx", "malformed_body", "error", serve([](auto&) {
                   return sim::json_response(
                       200, R"({"code":"0","msg":"","data":[{"instId":"BTC-USDT" "bidPx":"1"}]})");
                 })));
  cases.push_back(
      fault_case("TruncatedJson", "okx", "malformed_body", "error", serve([](auto& scene) {
                   std::string body = healthy_body(scene.venue);
                   return sim::json_response(200, body.substr(0, body.size() / 2));
                 })));
  cases.push_back(fault_case("EmptyBody", "okx", "malformed_body", "error",
                             serve([](auto&) { return sim::json_response(200, ""); })));

  // Transport faults. The detail words come from the service's own message (max_body_bytes) and
  // from curl's error messages (libcurl 7.88).
  cases.push_back(fault_case("LargeBody50MiB", "okx", "transport", "error",
                             serve([](auto&) { return sim::large_body(50ull * 1024 * 1024); }))
                      .with_detail("max_body_bytes"));
  cases.push_back(fault_case("ClosedMidBody", "okx", "transport", "error", serve([](auto& scene) {
                               auto reply = ticker_at(scene.venue, healthy_mid(scene.venue));
                               auto half = reply.body.size() / 2;
                               return sim::truncated_response(std::move(reply), half);
                             }))
                      .with_detail("transfer closed"));
  cases.push_back(fault_case("ResetBeforeResponse", "bybit", "transport", "error",
                             serve([](auto&) { return sim::reset_response(); }))
                      .with_detail("reset"));
  cases.push_back(fault_case("ResetMidBody", "bybit", "transport", "error",
                             [](fault_scene& scene) { scene.resetter->set_resetting(true); })
                      .healed_by([](fault_scene& scene) { scene.resetter->set_resetting(false); })
                      .behind_reset_server()
                      .with_detail("reset"));
  cases.push_back(
      fault_case("ConnectionRefused", "bybit", "transport", "error",
                 [](fault_scene& scene) { scene.farm.simulator(scene.venue).refuse_connections(); })
          .healed_by(
              [](fault_scene& scene) { scene.farm.simulator(scene.venue).accept_connections(); })
          .with_detail("connect"));
  cases.push_back(fault_case("RedirectLoop", "gate", "transport", "error", serve([](auto& scene) {
                               return sim::redirect_loop(scene.farm.route(scene.venue));
                             }))
                      .with_detail("redirect"));

  // Too slow: the 500 ms request timeout ends each of these.
  cases.push_back(
      fault_case("DripOneBytePerSecond", "gate", "timeout", "error", serve([](auto& scene) {
                   return sim::drip_response(ticker_at(scene.venue, healthy_mid(scene.venue)), 1,
                                             1s);
                 }))
          .with_detail("500 ms"));
  cases.push_back(fault_case("HangPastTimeout", "gate", "timeout", "error",
                             serve([](auto&) { return sim::hang_response(10s); }))
                      .with_detail("500 ms"));

  // A valid quote far from the others.
  cases.push_back(fault_case("PriceJumps50Percent", "gate", "", "outlier", [](fault_scene& scene) {
    scene.farm.serve_mid(scene.venue, healthy_mid(scene.venue) * 1.5);
  }));
  return cases;
}

void PrintTo(const fault_case& param, std::ostream* out) {
  *out << param.name << " on " << param.venue;
}

std::string fault_case_name(const ::testing::TestParamInfo<fault_case>& info) {
  return info.param.name;
}

class ExchangeFault : public ::testing::TestWithParam<fault_case> {
 protected:
  service_settings settings_;
};

TEST_P(ExchangeFault, VenueIsExcludedAndHeals) {
  const fault_case& param = GetParam();
  auto venues = venues_around(param.venue);
  std::vector<std::string> healthy(venues.begin() + 1, venues.end());
  venue_farm farm(venues);
  std::unique_ptr<reset_server> resetter;
  if (param.needs_reset_server) {
    resetter = std::make_unique<reset_server>(healthy_body(param.venue));
    farm.override_base_url(param.venue, resetter->base_url());
  }
  fault_scene scene{farm, param.venue, resetter.get()};
  service_under_test service(settings_, farm);
  ASSERT_TRUE(service.wait_until_listening()) << service.log_text();
  ASSERT_TRUE(poll_until([&] { return all_venues_used(service, venues); }, 10s))
      << e2e::http_get(service.url("/v1/prices/BTC-USDT/sources")).body << service.log_text();
  ASSERT_DOUBLE_EQ(read_pair(service)->price.value_or(0), median(mids_of(venues)));

  param.inject(scene);

  // The error is named in /v1/venues and counted in /metrics.
  if (!param.category.empty()) {
    EXPECT_TRUE(poll_until(
        [&] { return read_venues(service)[param.venue].error_category == param.category; }, 5s))
        << e2e::http_get(service.url("/v1/venues")).body;
    EXPECT_TRUE(poll_until(
        [&] {
          return read_metric(service, "nimbus_venue_fetch_failures_total",
                             {{"venue", param.venue}, {"category", param.category}})
                     .value_or(0) >= 1;
        },
        3s))
        << "nimbus_venue_fetch_failures_total{venue=\"" << param.venue << "\",category=\""
        << param.category << "\"} was not counted";
    venue_view failing = read_venues(service)[param.venue];
    EXPECT_TRUE(contains_ignoring_case(failing.error_detail, param.detail_contains))
        << "last_error.detail \"" << failing.error_detail << "\" does not mention \""
        << param.detail_contains << "\"";
    EXPECT_EQ(failing.venue_code, param.venue_code);
  }

  // The venue is excluded, and for a failing venue not before its quote is older than
  // max_quote_age_ms: until then its last quote still counts.
  std::vector<std::string> early_exclusions;
  std::optional<pair_view> excluded;
  bool was_excluded = poll_until(
      [&] {
        auto pair = read_pair(service);
        if (!pair) {
          return false;
        }
        const source_view& source = pair->sources[param.venue];
        if (param.reason == "error" && source.reason == "error" &&
            source.age_ms.value_or(0) < settings_.max_quote_age_ms) {
          early_exclusions.push_back(
              fmt::format("excluded at age {} ms", source.age_ms.value_or(-1)));
        }
        if (source.reason != param.reason) {
          return false;
        }
        excluded = pair;
        return true;
      },
      8s);
  ASSERT_TRUE(was_excluded) << e2e::http_get(service.url("/v1/prices/BTC-USDT/sources")).body;
  EXPECT_TRUE(early_exclusions.empty()) << join_lines(early_exclusions);
  EXPECT_FALSE(excluded->sources[param.venue].used);

  // The reference price is the median of the healthy venues alone.
  EXPECT_DOUBLE_EQ(excluded->price.value_or(0), median(mids_of(healthy)));
  EXPECT_EQ(excluded->venues_used, 3);
  EXPECT_EQ(excluded->status, "healthy");
  for (const auto& venue : healthy) {
    EXPECT_TRUE(excluded->sources[venue].used)
        << venue << " is excluded as " << excluded->sources[venue].reason;
  }
  if (param.category.empty()) {
    EXPECT_EQ(read_venues(service)[param.venue].error_category, "none");
  }

  // Once the venue returns valid tickers again it rejoins the aggregate.
  param.heal(scene);
  EXPECT_TRUE(poll_until([&] { return all_venues_used(service, venues); }, 5s))
      << e2e::http_get(service.url("/v1/prices/BTC-USDT/sources")).body;
  EXPECT_DOUBLE_EQ(read_pair(service)->price.value_or(0), median(mids_of(venues)));
  EXPECT_EQ(read_venues(service)[param.venue].state, "ok");
  EXPECT_TRUE(service.running());
}

INSTANTIATE_TEST_SUITE_P(OneFaultyVenue, ExchangeFault, ::testing::ValuesIn(fault_cases()),
                         fault_case_name);

// -- timing: rate limits and slow venues ----------------------------------------------------------

// Request arrival times at one simulator route, recorded by a handler on the simulator's thread.
class request_log {
 public:
  void record(std::chrono::steady_clock::time_point at) {
    std::lock_guard lock(mutex_);
    times_.push_back(at);
  }

  std::vector<std::chrono::steady_clock::time_point> times() const {
    std::lock_guard lock(mutex_);
    return times_;
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return times_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::chrono::steady_clock::time_point> times_;
};

double gap_ms(std::chrono::steady_clock::time_point earlier,
              std::chrono::steady_clock::time_point later) {
  return std::chrono::duration<double, std::milli>(later - earlier).count();
}

std::map<std::string, std::uint64_t> request_counts(const venue_farm& farm,
                                                    const std::vector<std::string>& venues) {
  std::map<std::string, std::uint64_t> counts;
  for (const auto& venue : venues) {
    counts[venue] = farm.request_count(venue);
  }
  return counts;
}

class VenueTiming : public ::testing::Test {
 protected:
  void start() {
    service_ = std::make_unique<service_under_test>(settings_, farm_);
    ASSERT_TRUE(service_->wait_until_listening()) << service_->log_text();
    ASSERT_TRUE(poll_until([&] { return all_venues_used(*service_, healthy_pool); }, 10s))
        << service_->log_text();
  }

  // Responds to the first `failures` requests to binance with `failure` and to later ones with its
  // healthy ticker, and records when each request arrived.
  void script_binance(sim::response failure, std::size_t failures) {
    farm_.simulator("binance").set_handler(
        farm_.route("binance"), [this, failure, failures](const sim::request_info& request) {
          log_.record(request.received_at);
          if (log_.size() <= failures) {
            return failure;
          }
          return ticker_at("binance", healthy_mid("binance"));
        });
  }

  // Declared before the farm, whose handlers write to it until the simulators stop.
  request_log log_;
  service_settings settings_;
  venue_farm farm_{healthy_pool};
  std::unique_ptr<service_under_test> service_;
};

TEST_F(VenueTiming, RetryAfterDelaysOnlyThatVenue) {
  start();
  sim::response limited = sim::json_response(429, R"({"code":-1003,"msg":"Too many requests"})");
  limited.headers.emplace_back("Retry-After", "2");

  script_binance(limited, 1);
  ASSERT_TRUE(poll_until([&] { return log_.size() >= 1; }, 3s));
  auto others_before = request_counts(farm_, {"okx", "bybit", "gate"});
  ASSERT_TRUE(poll_until([&] { return log_.size() >= 2; }, 6s)) << "binance was never polled again";
  auto others_after = request_counts(farm_, {"okx", "bybit", "gate"});

  auto times = log_.times();
  double gap = gap_ms(times[0], times[1]);
  EXPECT_GE(gap, 1'950) << "binance was polled again before Retry-After passed";
  EXPECT_LE(gap, 2'000 + settings_.poll_interval_ms + 600.0)
      << "binance was polled again long after Retry-After passed";
  for (const auto& [venue, count] : others_before) {
    // 100 ms polls over two seconds give about 20 requests, and a shared delay would give none.
    EXPECT_GE(others_after[venue] - count, 10u) << venue << " was held back by binance's limit";
  }
  EXPECT_EQ(read_venues(*service_)["binance"].error_category, "rate_limited");
  EXPECT_TRUE(poll_until([&] { return all_venues_used(*service_, healthy_pool); }, 3s));
}

TEST_F(VenueTiming, RateLimitWithoutRetryAfterWaitsLonger) {
  start();

  script_binance(sim::json_response(429, R"({"code":-1003,"msg":"Too many requests"})"), 1);
  ASSERT_TRUE(poll_until([&] { return log_.size() >= 1; }, 3s));
  auto others_before = request_counts(farm_, {"okx", "bybit", "gate"});

  // The documented default back-off is 30 s. Three quiet seconds show that a back-off applies,
  // while the other venues keep their 100 ms schedule.
  std::this_thread::sleep_for(3s);  // the absence of requests over time is under test
  EXPECT_EQ(log_.size(), 1u) << "binance was polled again within 3 s of a 429 without Retry-After";
  auto others_after = request_counts(farm_, {"okx", "bybit", "gate"});
  for (const auto& [venue, count] : others_before) {
    EXPECT_GE(others_after[venue] - count, 15u) << venue << " was held back by binance's limit";
  }
  EXPECT_EQ(read_venues(*service_)["binance"].error_category, "rate_limited");
}

TEST_F(VenueTiming, HungVenueDoesNotDelayOthers) {
  settings_.request_timeout_ms = 1'000;
  start();
  auto before = request_counts(farm_, healthy_pool);

  farm_.serve("binance", sim::hang_response(10s));
  std::this_thread::sleep_for(2s);  // the request rate over time is under test

  auto after = request_counts(farm_, healthy_pool);
  // Each hung request blocks binance's fetcher for the whole 1 s timeout.
  EXPECT_LE(after["binance"] - before["binance"], 3u);
  for (const char* venue : {"okx", "bybit", "gate"}) {
    // About 20 polls in two seconds, where fetchers sharing a thread would manage 2 or 3.
    EXPECT_GE(after[venue] - before[venue], 12u) << venue << " was slowed down by binance";
  }
  EXPECT_TRUE(poll_until(
      [&] { return read_venues(*service_)["binance"].error_category == "timeout"; }, 2s));
}

// -- the circuit breaker --------------------------------------------------------------------------

TEST_F(VenueTiming, BreakerOpensThenProbes) {
  settings_.breaker_failure_threshold = 3;
  settings_.breaker_open_duration_ms = 1'000;
  start();

  // Three failures open the breaker, the probe after open_duration_ms fails and opens it again,
  // and the second probe succeeds.
  script_binance(text_response(500, "text/plain", "Internal Server Error"), 4);
  ASSERT_TRUE(poll_until(
      [&] {
        auto venue = read_venues(*service_)["binance"];
        return venue.breaker_state == "open" && venue.state == "open";
      },
      3s))
      << e2e::http_get(service_->url("/v1/venues")).body;
  EXPECT_EQ(read_metric(*service_, "nimbus_venue_circuit_breaker_state",
                        {{"venue", "binance"}, {"state", "open"}}),
            1.0);
  ASSERT_TRUE(poll_until([&] { return log_.size() >= 6; }, 5s)) << "binance was not probed";

  auto times = log_.times();
  EXPECT_LT(gap_ms(times[1], times[2]), 500) << "polls before the breaker opened";
  EXPECT_GE(gap_ms(times[2], times[3]), 950) << "the first probe came before open_duration_ms";
  EXPECT_LE(gap_ms(times[2], times[3]), 1'700);
  EXPECT_GE(gap_ms(times[3], times[4]), 950) << "a failed probe must open the breaker again";
  EXPECT_LE(gap_ms(times[3], times[4]), 1'700);
  EXPECT_LT(gap_ms(times[4], times[5]), 500) << "a successful probe must close the breaker";
  EXPECT_TRUE(poll_until([&] { return all_venues_used(*service_, healthy_pool); }, 3s));
  EXPECT_EQ(read_venues(*service_)["binance"].breaker_state, "closed");
}

TEST_F(VenueTiming, LostProbeDoesNotWedgeBreaker) {
  settings_.breaker_failure_threshold = 1;
  settings_.breaker_open_duration_ms = 500;
  settings_.restart_intensity_max = 1;
  settings_.failed_cooldown_s = 2;
  start();

  // Use up the normaliser's one restart, so that the next kill keeps it down for the cool-down.
  ASSERT_EQ(service_->kill("normaliser", "kill").status, 202);
  ASSERT_TRUE(wait_for_restart(*service_, "normaliser", "kill", 1, 3s)) << service_->log_text();

  // Binance fails slowly, so that its half-open probe is in flight long enough to lose its result.
  sim::response slow_failure = text_response(500, "text/plain", "Internal Server Error");
  slow_failure.latency = 400ms;
  script_binance(slow_failure, 1'000);
  ASSERT_TRUE(
      poll_until([&] { return read_venues(*service_)["binance"].breaker_state == "open"; }, 3s));
  std::size_t requests_while_open = log_.size();
  ASSERT_TRUE(poll_until([&] { return log_.size() > requests_while_open; }, 3s))
      << "no half-open probe arrived";

  // The probe's result reaches a normaliser that is down for the cool-down, so it is dropped.
  ASSERT_EQ(service_->kill("normaliser", "kill").status, 202);
  farm_.serve_healthy("binance");

  // Binance's last quote ages out while nothing is normalised.
  ASSERT_TRUE(poll_until(
      [&] {
        auto pair = read_pair(*service_);
        return pair && !pair->sources["binance"].used;
      },
      2s));

  // After the cool-down the venue must be probed again and recover.
  EXPECT_TRUE(poll_until([&] { return all_venues_used(*service_, healthy_pool); }, 8s))
      << e2e::http_get(service_->url("/v1/venues")).body;
  EXPECT_FALSE(log_entries(service_->log_text(),
                           "circuit breaker probe result lost; counting the probe as failed")
                   .empty());
  EXPECT_TRUE(service_->running());
}

}  // namespace
}  // namespace nimbus::faults
