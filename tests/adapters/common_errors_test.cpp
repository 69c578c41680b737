// Failures every adapter must classify the same way, whatever the venue: empty and non-JSON bodies,
// HTTP error pages, rate-limit statuses, trailing bytes and pairs the venue cannot quote.
#include <string>

#include <gtest/gtest.h>

#include "tests/adapters/test_support.hpp"

namespace nimbus::testing {
namespace {

class CommonErrors : public ::testing::TestWithParam<venue_sample> {
 protected:
  quote_result parse(std::string_view body, int status = 200,
                     std::optional<std::chrono::seconds> retry_after = std::nullopt) {
    return parse_body(GetParam().venue, body, GetParam().pair, status, retry_after);
  }

  static const fetch_error* error_of(const quote_result& result) {
    return std::get_if<fetch_error>(&result);
  }
};

constexpr std::string_view bad_gateway_page =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

TEST_P(CommonErrors, SampleFixtureParses) {
  std::string body = read_fixture(GetParam().venue, GetParam().fixture);

  quote_result result = parse(body);

  EXPECT_TRUE(std::holds_alternative<quote>(result)) << describe(result);
}

TEST_P(CommonErrors, EmptyBodyIsMalformed) {
  quote_result result = parse("");

  const fetch_error* error = error_of(result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->category, error_category::malformed_body);
  EXPECT_EQ(error->detail, "empty body");
  EXPECT_TRUE(error->transient);
}

TEST_P(CommonErrors, WhitespaceBodyIsMalformed) {
  quote_result result = parse(" \r\n\t ");

  const fetch_error* error = error_of(result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->category, error_category::malformed_body);
}

TEST_P(CommonErrors, HtmlPageWithStatus200IsMalformed) {
  quote_result result = parse(bad_gateway_page);

  const fetch_error* error = error_of(result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->category, error_category::malformed_body);
  EXPECT_NE(error->detail.find("<html>"), std::string::npos) << error->detail;
}

TEST_P(CommonErrors, BadGatewayPageIsTransientHttpStatus) {
  quote_result result = parse(bad_gateway_page, 502);

  const fetch_error* error = error_of(result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->category, error_category::http_status);
  EXPECT_EQ(error->http_status, 502);
  EXPECT_TRUE(error->transient);
  EXPECT_NE(error->detail.find("HTTP status 502"), std::string::npos) << error->detail;
}

TEST_P(CommonErrors, NotFoundPageIsPermanentHttpStatus) {
  quote_result result = parse("<html><body>Not Found</body></html>", 404);

  const fetch_error* error = error_of(result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->category, error_category::http_status);
  EXPECT_FALSE(error->transient);
}

TEST_P(CommonErrors, Status429IsRateLimitedWithRetryAfter) {
  quote_result result = parse("", 429, std::chrono::seconds{7});

  const fetch_error* error = error_of(result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->category, error_category::rate_limited);
  EXPECT_TRUE(error->transient);
  ASSERT_TRUE(error->retry_after.has_value());
  EXPECT_EQ(error->retry_after->count(), 7);
}

TEST_P(CommonErrors, Status418IsRateLimited) {
  quote_result result = parse("{}", 418);

  const fetch_error* error = error_of(result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->category, error_category::rate_limited);
}

TEST_P(CommonErrors, SuccessBodyWithErrorStatusIsNotAQuote) {
  std::string body = read_fixture(GetParam().venue, GetParam().fixture);

  quote_result result = parse(body, 500);

  const fetch_error* error = error_of(result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->category, error_category::http_status);
  EXPECT_TRUE(error->transient);
}

TEST_P(CommonErrors, TrailingBytesAreMalformed) {
  std::string body = read_fixture(GetParam().venue, GetParam().fixture) + "}";

  quote_result result = parse(body);

  const fetch_error* error = error_of(result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->category, error_category::malformed_body);
}

TEST_P(CommonErrors, SecondDocumentIsMalformed) {
  std::string sample = read_fixture(GetParam().venue, GetParam().fixture);
  std::string body = sample + "\n" + sample;

  quote_result result = parse(body);

  const fetch_error* error = error_of(result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->category, error_category::malformed_body);
}

TEST_P(CommonErrors, ScalarDocumentIsMalformed) {
  quote_result result = parse("73350.5");

  const fetch_error* error = error_of(result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->category, error_category::malformed_body);
}

TEST_P(CommonErrors, UnclosedStringIsMalformed) {
  quote_result result = parse("{\"bid\":\"73350");

  const fetch_error* error = error_of(result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->category, error_category::malformed_body);
}

TEST_P(CommonErrors, InvalidUtf8IsMalformed) {
  quote_result result = parse("{\"message\":\"\xff\xfe\"}");

  const fetch_error* error = error_of(result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->category, error_category::malformed_body);
}

TEST_P(CommonErrors, EmptyObjectAndArrayAreNotQuotes) {
  for (std::string_view body : {"{}", "[]", "[{}]", "{\"data\":[[]]}"}) {
    quote_result result = parse(body);

    const fetch_error* error = error_of(result);
    ASSERT_NE(error, nullptr) << body << " gave " << describe(result);
    EXPECT_TRUE(error->category == error_category::schema_mismatch ||
                error->category == error_category::unknown_pair)
        << body << " gave " << describe(result);
  }
}

TEST_P(CommonErrors, UnsupportedPairIsUnknownPair) {
  std::string body = read_fixture(GetParam().venue, GetParam().fixture);
  parse_context context;
  http_response response{200, body, std::nullopt};

  quote_result result =
      adapter_named(GetParam().venue).parse(response, "not a pair", fixed_received_at(), context);

  const fetch_error* error = error_of(result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->category, error_category::unknown_pair);
  EXPECT_NE(error->detail.find("not a pair"), std::string::npos) << error->detail;
}

INSTANTIATE_TEST_SUITE_P(Venues, CommonErrors, ::testing::ValuesIn(venue_samples),
                         [](const ::testing::TestParamInfo<venue_sample>& param_info) {
                           return std::string(param_info.param.venue);
                         });

}  // namespace
}  // namespace nimbus::testing
