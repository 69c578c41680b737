// Parse throughput of every venue adapter on each success body listed in
// tests/fixtures/expectations.tsv: one call of venue_adapter::parse per iteration, with one reused
// parse_context, as the normaliser actor does. Reports bodies parsed per second on one thread.

#include <benchmark/benchmark.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/registry.hpp"

namespace {

using namespace nimbus;

// One success row of expectations.tsv: the body and the prices the adapter must produce from it.
struct quote_fixture {
  std::string venue;
  std::string file;
  std::string pair;
  int status = 200;
  std::string bid;  // as printed in the table, "-" when the venue publishes none
  std::string last;
  std::string body;
};

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw std::runtime_error("cannot read fixture '" + path + "'; run from a source checkout");
  }
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream stream(line);
  std::string field;
  while (std::getline(stream, field, '\t')) {
    fields.push_back(field);
  }
  return fields;
}

// Columns: venue, fixture, pair, status, retry_after, outcome, bid, ask, last, ...
std::vector<quote_fixture> load_quote_fixtures(const std::string& fixtures_dir) {
  std::istringstream table(read_file(fixtures_dir + "/expectations.tsv"));
  std::vector<quote_fixture> fixtures;
  std::string line;
  while (std::getline(table, line)) {
    auto fields = split_tabs(line);
    if (line.starts_with('#') || fields.size() < 9 || fields[0] == "venue" ||
        fields[5] != "quote") {
      continue;
    }
    quote_fixture fixture{fields[0], fields[1], fields[2], std::stoi(fields[3]),
                          fields[6], fields[8], ""};
    fixture.body = read_file(fixtures_dir + "/" + fixture.venue + "/" + fixture.file);
    fixtures.push_back(std::move(fixture));
  }
  return fixtures;
}

std::string printed(const std::optional<decimal>& value) {
  return value ? value->to_string() : "-";
}

// Empty when the adapter turns the body into the expected quote, else what went wrong. A parse
// benchmark of a body that fails would measure the error path and report the wrong number.
std::string check_fixture(const venue_adapter& adapter, const quote_fixture& fixture,
                          parse_context& context) {
  http_response response{fixture.status, fixture.body, std::nullopt};
  auto result = adapter.parse(response, fixture.pair, timestamp{}, context);
  const auto* parsed = std::get_if<quote>(&result);
  if (parsed == nullptr) {
    return "parse returned an error: " + std::get<fetch_error>(result).detail;
  }
  if (printed(parsed->bid) != fixture.bid || printed(parsed->last) != fixture.last) {
    return "parse returned bid " + printed(parsed->bid) + " and last " + printed(parsed->last) +
           ", expected " + fixture.bid + " and " + fixture.last;
  }
  return {};
}

void parse_body(benchmark::State& state, const quote_fixture& fixture) {
  const venue_adapter* adapter = find_adapter(fixture.venue);
  if (adapter == nullptr) {
    state.SkipWithError(("no adapter registered for venue " + fixture.venue).c_str());
    return;
  }
  parse_context context;
  if (auto problem = check_fixture(*adapter, fixture, context); !problem.empty()) {
    state.SkipWithError(problem.c_str());
    return;
  }

  http_response response{fixture.status, fixture.body, std::nullopt};
  timestamp received_at =
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  for (auto _ : state) {
    auto result = adapter->parse(response, fixture.pair, received_at, context);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(fixture.body.size()));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  std::vector<quote_fixture> fixtures;
  try {
    fixtures = load_quote_fixtures(NIMBUS_FIXTURES_DIR);
  } catch (const std::exception& failure) {
    std::cerr << "adapter_parse_bench: " << failure.what() << "\n";
    return 1;
  }
  for (const auto& fixture : fixtures) {
    std::string name = "adapter_parse/" + fixture.venue + "/" + fixture.file + "/" + fixture.pair;
    benchmark::RegisterBenchmark(name.c_str(), parse_body, fixture);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
