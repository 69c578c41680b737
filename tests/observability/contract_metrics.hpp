#pragma once

// Every metric family of the service contract, registered the way the service is expected to
// register them, for tests that check the exposition as a whole (promtool, docs/metrics.md).

#include <vector>

#include "pipeline/metrics_registry.hpp"

namespace nimbus::metrics::testing {

// Bucket bounds in seconds. The latency SLO rules read the le="0.1" bucket of the request
// histogram, so that bound must stay in the list.
inline const std::vector<double> http_request_duration_buckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
inline const std::vector<double> venue_fetch_duration_buckets = {0.025, 0.05, 0.1, 0.25, 0.5,
                                                                 1,     2.5,  5,   10};

// Registers every nimbus_* family of the contract in `registry` and gives each a few children with
// plausible values. The process_* families come from process_metrics and are not added here.
void register_contract_metrics(registry& registry);

}  // namespace nimbus::metrics::testing
