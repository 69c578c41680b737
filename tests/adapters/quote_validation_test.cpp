#include <gtest/gtest.h>

#include "pipeline/quote_validation.hpp"

namespace nimbus {
namespace {

quote book(std::string_view bid, std::string_view ask, std::string_view last = "") {
  quote candidate;
  candidate.venue = "binance";
  candidate.pair = "BTC-USDT";
  if (!bid.empty()) {
    candidate.bid = decimal::parse(bid);
  }
  if (!ask.empty()) {
    candidate.ask = decimal::parse(ask);
  }
  if (!last.empty()) {
    candidate.last = decimal::parse(last);
  }
  return candidate;
}

std::string detail_of(const quote& candidate) {
  auto error = validate_quote(candidate);
  return error ? error->detail : std::string();
}

TEST(QuoteValidation, AcceptsOrdinaryBook) {
  EXPECT_EQ(detail_of(book("100.1", "100.2", "100.15")), "");
}

TEST(QuoteValidation, AcceptsLockedBook) {
  EXPECT_EQ(detail_of(book("16839.1", "16839.1")), "");
}

TEST(QuoteValidation, AcceptsLastOutsideBook) {
  EXPECT_EQ(detail_of(book("20517.96", "20527.77", "20533.13")), "");
}

TEST(QuoteValidation, AcceptsLastOnly) {
  EXPECT_EQ(detail_of(book("", "", "111580")), "");
}

TEST(QuoteValidation, RejectsCrossedBook) {
  auto error = validate_quote(book("100.2", "100.1"));

  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->category, error_category::invalid_quote);
  EXPECT_EQ(error->detail, "ask 100.1 is below bid 100.2");
  EXPECT_TRUE(error->transient);
}

TEST(QuoteValidation, RejectsZeroAndNegativePrices) {
  EXPECT_EQ(detail_of(book("0", "1")), "bid 0 is not positive");
  EXPECT_EQ(detail_of(book("1", "-2")), "ask -2 is not positive");
  EXPECT_EQ(detail_of(book("1", "2", "0")), "last 0 is not positive");
}

TEST(QuoteValidation, RejectsOneSidedBook) {
  EXPECT_EQ(detail_of(book("1", "", "1")), "one-sided book: bid 1 has no ask");
  EXPECT_EQ(detail_of(book("", "2", "1")), "one-sided book: ask 2 has no bid");
}

TEST(QuoteValidation, RejectsQuoteWithoutPrices) {
  EXPECT_EQ(detail_of(book("", "")), "quote has neither a bid and ask nor a last price");
}

TEST(QuoteValidation, RejectsNegativeVolume) {
  quote candidate = book("1", "2");
  candidate.base_volume_24h = decimal::parse("-0.5");

  EXPECT_EQ(detail_of(candidate), "base volume -0.5 is negative");
}

TEST(QuoteValidation, AcceptsZeroVolume) {
  quote candidate = book("1", "2");
  candidate.base_volume_24h = decimal::parse("0");

  EXPECT_EQ(detail_of(candidate), "");
}

}  // namespace
}  // namespace nimbus
