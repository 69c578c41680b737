// Checks the exposition of the full contract: promtool accepts it without a word, and
// docs/metrics.md documents exactly the families, types and labels the contract registers.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "pipeline/metrics_registry.hpp"
#include "pipeline/process_metrics.hpp"
#include "tests/observability/contract_metrics.hpp"

namespace nimbus::metrics {
namespace {

namespace fs = std::filesystem;

struct command_result {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `promtool check metrics` with `exposition` on its standard input.
command_result promtool_check_metrics(const std::string& exposition) {
  const fs::path input =
      fs::temp_directory_path() / ("nimbus_exposition_" + std::to_string(::getpid()) + ".txt");
  std::ofstream(input) << exposition;

  const std::string command =
      std::string("'") + NIMBUS_PROMTOOL + "' check metrics < '" + input.string() + "' 2>&1";
  command_result result;
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    fs::remove(input);
    return result;
  }
  std::array<char, 4096> chunk{};
  while (std::size_t read = std::fread(chunk.data(), 1, chunk.size(), pipe)) {
    result.output.append(chunk.data(), read);
  }
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;

  fs::remove(input);
  return result;
}

std::string render_contract() {
  registry metrics;
  testing::register_contract_metrics(metrics);
  process_metrics process(metrics);
  process.refresh();
  return metrics.render();
}

TEST(PromtoolCheckMetrics, ContractExpositionPrintsNothing) {
  ASSERT_TRUE(fs::exists(NIMBUS_PROMTOOL))
      << NIMBUS_PROMTOOL << " is missing; run scripts/install-deps.sh";

  const command_result result = promtool_check_metrics(render_contract());

  EXPECT_EQ(result.output, "");
  EXPECT_EQ(result.exit_code, 0);
}

// Proves the check above can fail: promtool must complain about a counter without _total.
TEST(PromtoolCheckMetrics, FlagsCounterWithoutTotalSuffix) {
  ASSERT_TRUE(fs::exists(NIMBUS_PROMTOOL))
      << NIMBUS_PROMTOOL << " is missing; run scripts/install-deps.sh";
  registry metrics;
  metrics.add_counter("nimbus_venue_fetches", "Fetch attempts.", {"venue"}).with({"binance"}).inc();

  const command_result result = promtool_check_metrics(metrics.render());

  EXPECT_THAT(result.output, ::testing::HasSubstr("_total"));
}

TEST(ContractExposition, SamplesFollowTheirTypeLine) {
  const std::string text = render_contract();

  // Each sample line's series must belong to the family announced last by # TYPE.
  std::istringstream lines(text);
  std::string announced;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("# TYPE ")) {
      announced = line.substr(7, line.find(' ', 7) - 7);
      continue;
    }
    if (line.starts_with("#")) {
      continue;
    }
    EXPECT_TRUE(line.starts_with(announced)) << "sample outside its family: " << line;
  }
}

// One documented metric: its type and label names, from a row of the table in docs/metrics.md.
struct documented_metric {
  std::string type;
  std::vector<std::string> labels;

  friend bool operator==(const documented_metric&, const documented_metric&) = default;
};

std::ostream& operator<<(std::ostream& out, const documented_metric& metric) {
  out << metric.type << " {";
  for (const auto& label : metric.labels) {
    out << label << ' ';
  }
  return out << '}';
}

// Reads rows shaped "| `name` | type | `label`, `label` | ..." (labels "-" when there are none).
std::map<std::string, documented_metric> read_documented_metrics(const fs::path& path) {
  std::ifstream in(path);
  const std::regex row(
      R"(^\|\s*`([a-z_:][a-z0-9_:]*)`\s*\|\s*(counter|gauge|histogram)\s*\|([^|]*)\|)");
  const std::regex label("`([a-zA-Z_][a-zA-Z0-9_]*)`");

  std::map<std::string, documented_metric> documented;
  for (std::string line; std::getline(in, line);) {
    std::smatch match;
    if (!std::regex_search(line, match, row)) {
      continue;
    }
    documented_metric metric{match[2], {}};
    const std::string labels = match[3];
    for (std::sregex_iterator it(labels.begin(), labels.end(), label), end; it != end; ++it) {
      metric.labels.push_back((*it)[1]);
    }
    documented[match[1]] = metric;
  }
  return documented;
}

TEST(ContractExposition, MatchesDocsMetricsTable) {
  const fs::path docs = fs::path(NIMBUS_SOURCE_DIR) / "docs" / "metrics.md";
  const auto documented = read_documented_metrics(docs);
  ASSERT_FALSE(documented.empty()) << "no metric rows found in " << docs;

  // The contract: the families, types and label names a registry contains after registration.
  registry metrics;
  testing::register_contract_metrics(metrics);
  process_metrics process(metrics);
  std::map<std::string, documented_metric> registered;
  std::istringstream lines(metrics.render());
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("# TYPE ")) {
      std::istringstream words(line.substr(7));
      std::string name;
      std::string type;
      words >> name >> type;
      registered[name] = documented_metric{type, {}};
    }
  }
  const auto label_names_of = [&](const std::string& name) {
    std::regex sample("^" + name + R"((_bucket|_sum|_count)?\{([^}]*)\})");
    std::istringstream again(metrics.render());
    for (std::string line; std::getline(again, line);) {
      std::smatch match;
      if (std::regex_search(line, match, sample)) {
        std::vector<std::string> names;
        const std::string pairs = match[2];
        const std::regex label_name(R"(([a-zA-Z_][a-zA-Z0-9_]*)=")");
        for (std::sregex_iterator it(pairs.begin(), pairs.end(), label_name), end; it != end;
             ++it) {
          if ((*it)[1] != "le") {
            names.push_back((*it)[1]);
          }
        }
        return names;
      }
    }
    return std::vector<std::string>{};
  };
  for (auto& [name, metric] : registered) {
    metric.labels = label_names_of(name);
  }

  for (const auto& [name, metric] : registered) {
    const auto found = documented.find(name);
    if (found == documented.end()) {
      ADD_FAILURE() << name << " is exported but not documented in " << docs;
      continue;
    }
    EXPECT_EQ(found->second, metric) << "docs row for " << name << " differs";
  }
  for (const auto& [name, metric] : documented) {
    EXPECT_TRUE(registered.contains(name)) << name << " is documented but not in the contract";
  }
}

}  // namespace
}  // namespace nimbus::metrics
