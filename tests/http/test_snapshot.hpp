#pragma once

#include <memory>

#include "http/rendered_snapshot.hpp"
#include "pipeline/snapshot.hpp"

namespace nimbus::http::test_support {

// The instant the test snapshots are rendered at.
timestamp snapshot_time();

// Two fresh pairs, BTC-USD and ETH-USD, quoted by venues alpha and beta, with three BTC and two ETH
// history points. Tests change it before rendering to cover stale pairs.
std::shared_ptr<aggregate_snapshot> make_snapshot();

std::shared_ptr<const rendered_snapshot> render(std::shared_ptr<aggregate_snapshot> snapshot,
                                                bool shutting_down = false);

}  // namespace nimbus::http::test_support
