#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "http/rendered_snapshot.hpp"

namespace nimbus::http {

// A response chosen by the router. Bodies of the shared snapshot are referenced, not copied:
// body_view points into snapshot, which the reply keeps alive.
struct reply {
  int status = 200;
  std::string route = "unmatched";  // bounded route label for metrics, "/v1/prices/{pair}"
  std::string content_type = "application/json";
  std::string allow;  // the Allow header on 405
  std::string owned_body;
  std::string_view body_view;
  std::shared_ptr<const rendered_snapshot> snapshot;

  std::string_view body() const { return body_view.empty() ? owned_body : body_view; }
};

struct request_line {
  std::string_view method;
  std::string_view target;  // path and query as sent, "/v1/prices/btc-usd?x=1"
};

// Produces the Prometheus text for GET /metrics; supplied by the service.
using metrics_renderer = std::function<std::string()>;

// Maps a request to its reply using the current snapshot. Pure: no sockets, no actors.
reply route_request(const request_line& request,
                    const std::shared_ptr<const rendered_snapshot>& snapshot,
                    const metrics_renderer& render_metrics);

// Decodes %XX escapes in a URL component; nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace nimbus::http
