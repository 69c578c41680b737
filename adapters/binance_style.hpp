#pragma once

#include <string_view>

#include "adapters/venue_adapter.hpp"

namespace nimbus::adapters {

// The Binance spot 24-hour ticker, GET /api/v3/ticker/24hr?symbol=BTCUSDT, which MEXC copies:
// bidPrice, askPrice, lastPrice, volume (base asset) and closeTime in Unix milliseconds. Errors are
// {"code":-1121,"msg":"Invalid symbol."}.
class binance_style_adapter : public venue_adapter {
 public:
  constexpr binance_style_adapter(std::string_view name, std::string_view base_url)
      : name_(name), base_url_(base_url) {}

  std::string_view name() const override { return name_; }
  std::string_view default_base_url() const override { return base_url_; }
  std::optional<std::string> venue_symbol(std::string_view canonical_pair) const override;
  std::optional<std::string> canonical_pair(std::string_view venue_symbol) const override;
  std::string request_target(std::string_view canonical_pair) const override;
  quote_result parse(const http_response& response, std::string_view canonical_pair,
                     timestamp received_at, parse_context& context) const override;

 private:
  std::string_view name_;
  std::string_view base_url_;
};

}  // namespace nimbus::adapters
