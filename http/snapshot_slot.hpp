#pragma once

#include <atomic>
#include <memory>

#include "http/rendered_snapshot.hpp"

namespace nimbus::http {

// The latest rendered snapshot, published by the HTTP actor and read by every request. It lives
// outside the actors, so the server keeps responding while an actor is being restarted.
class snapshot_slot {
 public:
  std::shared_ptr<const rendered_snapshot> load() const {
    return current_.load(std::memory_order_acquire);
  }

  void store(std::shared_ptr<const rendered_snapshot> snapshot) {
    current_.store(std::move(snapshot), std::memory_order_release);
  }

 private:
  std::atomic<std::shared_ptr<const rendered_snapshot>> current_;
};

}  // namespace nimbus::http
