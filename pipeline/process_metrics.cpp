#include "pipeline/process_metrics.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

namespace nimbus::metrics {

namespace {

// Positions in /proc/<pid>/stat counted from the field after the command name, which is field 3
// in proc(5) numbering: utime is field 14, stime 15, starttime 22.
constexpr std::size_t stat_utime_index = 14 - 3;
constexpr std::size_t stat_stime_index = 15 - 3;
constexpr std::size_t stat_starttime_index = 22 - 3;

std::optional<std::string> read_text(const std::filesystem::path& path, std::string& error) {
  // procfs reports a size of 0, so read until end of file rather than by size.
  std::ifstream in(path);
  if (!in) {
    error = fmt::format("cannot open {}", path.string());
    return std::nullopt;
  }
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) {
    error = fmt::format("cannot read {}", path.string());
    return std::nullopt;
  }
  return text;
}

std::optional<std::uint64_t> parse_unsigned(std::string_view token) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc{} || end != token.data() + token.size()) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::string_view> split_whitespace(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t position = 0;
  while (position < text.size()) {
    const auto start = text.find_first_not_of(" \t\n", position);
    if (start == std::string_view::npos) {
      break;
    }
    const auto end = std::min(text.find_first_of(" \t\n", start), text.size());
    tokens.push_back(text.substr(start, end - start));
    position = end;
  }
  return tokens;
}

// Reads "btime <seconds>" from /proc/stat.
std::optional<double> read_boot_time(const proc_source& source, std::vector<std::string>& errors) {
  std::string error;
  const auto text = read_text(source.system_stat, error);
  if (!text) {
    errors.push_back(error);
    return std::nullopt;
  }

  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    const auto tokens = split_whitespace(line);
    if (tokens.size() == 2 && tokens[0] == "btime") {
      if (const auto seconds = parse_unsigned(tokens[1])) {
        return static_cast<double>(*seconds);
      }
    }
  }
  errors.push_back(fmt::format("no valid btime line in {}", source.system_stat.string()));
  return std::nullopt;
}

// Reads CPU time and start time from <process_dir>/stat.
void read_stat(const proc_source& source, long ticks_per_second, process_stats& stats) {
  const auto path = source.process_dir / "stat";
  std::string error;
  const auto text = read_text(path, error);
  if (!text) {
    stats.errors.push_back(error);
    return;
  }

  // The command name is in parentheses and may itself contain spaces and ')', so the fields
  // start after the last ')'.
  const auto close = text->rfind(')');
  if (close == std::string::npos) {
    stats.errors.push_back(fmt::format("no ')' after the command name in {}", path.string()));
    return;
  }
  const auto fields = split_whitespace(std::string_view(*text).substr(close + 1));
  if (fields.size() <= stat_starttime_index) {
    stats.errors.push_back(
        fmt::format("{} has {} fields after the command name, expected at least {}", path.string(),
                    fields.size(), stat_starttime_index + 1));
    return;
  }

  const auto utime = parse_unsigned(fields[stat_utime_index]);
  const auto stime = parse_unsigned(fields[stat_stime_index]);
  const auto start_ticks = parse_unsigned(fields[stat_starttime_index]);
  const auto ticks = static_cast<double>(ticks_per_second);
  if (utime && stime) {
    stats.cpu_seconds = static_cast<double>(*utime + *stime) / ticks;
  } else {
    stats.errors.push_back(fmt::format("invalid utime or stime in {}", path.string()));
  }
  if (!start_ticks) {
    stats.errors.push_back(fmt::format("invalid starttime in {}", path.string()));
    return;
  }

  // starttime counts clock ticks since boot.
  if (const auto boot_time = read_boot_time(source, stats.errors)) {
    stats.start_time_seconds = *boot_time + static_cast<double>(*start_ticks) / ticks;
  }
}

// Reads virtual and resident size, in pages, from <process_dir>/statm.
void read_statm(const proc_source& source, long page_size, process_stats& stats) {
  const auto path = source.process_dir / "statm";
  std::string error;
  const auto text = read_text(path, error);
  if (!text) {
    stats.errors.push_back(error);
    return;
  }

  const auto fields = split_whitespace(*text);
  const auto size_pages = fields.size() >= 2 ? parse_unsigned(fields[0]) : std::nullopt;
  const auto resident_pages = fields.size() >= 2 ? parse_unsigned(fields[1]) : std::nullopt;
  if (!size_pages || !resident_pages) {
    stats.errors.push_back(fmt::format("invalid size or resident field in {}", path.string()));
    return;
  }
  stats.virtual_memory_bytes = static_cast<double>(*size_pages) * static_cast<double>(page_size);
  stats.resident_memory_bytes =
      static_cast<double>(*resident_pages) * static_cast<double>(page_size);
}

// Reads the soft limit from the "Max open files" line of <process_dir>/limits.
void read_limits(const proc_source& source, process_stats& stats) {
  const auto path = source.process_dir / "limits";
  std::string error;
  const auto text = read_text(path, error);
  if (!text) {
    stats.errors.push_back(error);
    return;
  }

  constexpr std::string_view prefix = "Max open files";
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with(prefix)) {
      continue;
    }
    const auto columns = split_whitespace(std::string_view(line).substr(prefix.size()));
    if (!columns.empty() && columns[0] == "unlimited") {
      stats.max_fds = std::numeric_limits<double>::infinity();
      return;
    }
    if (const auto soft = columns.empty() ? std::nullopt : parse_unsigned(columns[0])) {
      stats.max_fds = static_cast<double>(*soft);
      return;
    }
    break;
  }
  stats.errors.push_back(fmt::format("no valid 'Max open files' line in {}", path.string()));
}

// Counts the entries of <process_dir>/fd. For /proc/self the count includes the descriptor that
// lists the directory, as other Prometheus clients' counts do.
void count_open_fds(const proc_source& source, process_stats& stats) {
  const auto path = source.process_dir / "fd";
  std::error_code ec;
  std::filesystem::directory_iterator entries(path, ec);
  if (ec) {
    stats.errors.push_back(fmt::format("cannot list {}: {}", path.string(), ec.message()));
    return;
  }

  double count = 0;
  for (; entries != std::filesystem::directory_iterator(); entries.increment(ec)) {
    if (ec) {
      stats.errors.push_back(fmt::format("cannot list {}: {}", path.string(), ec.message()));
      return;
    }
    count += 1;
  }
  stats.open_fds = count;
}

}  // namespace

process_stats read_process_stats(const proc_source& source) {
  const long ticks_per_second =
      source.clock_ticks_per_second > 0 ? source.clock_ticks_per_second : sysconf(_SC_CLK_TCK);
  const long page_size =
      source.page_size_bytes > 0 ? source.page_size_bytes : sysconf(_SC_PAGESIZE);

  process_stats stats;
  read_stat(source, ticks_per_second, stats);
  read_statm(source, page_size, stats);
  read_limits(source, stats);
  count_open_fds(source, stats);
  return stats;
}

process_metrics::process_metrics(registry& registry, proc_source source)
    : source_(std::move(source)),
      cpu_seconds_(registry
                       .add_counter("process_cpu_seconds_total",
                                    "Total user and system CPU time spent in seconds.")
                       .with({})),
      resident_memory_bytes_(
          registry.add_gauge("process_resident_memory_bytes", "Resident memory size in bytes.")
              .with({})),
      virtual_memory_bytes_(
          registry.add_gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.")
              .with({})),
      open_fds_(
          registry.add_gauge("process_open_fds", "Number of open file descriptors.").with({})),
      max_fds_(registry.add_gauge("process_max_fds", "Maximum number of open file descriptors.")
                   .with({})),
      start_time_seconds_(registry
                              .add_gauge("process_start_time_seconds",
                                         "Start time of the process since unix epoch in seconds.")
                              .with({})) {}

void process_metrics::update(const process_stats& stats) {
  if (stats.cpu_seconds) {
    cpu_seconds_.advance_to(*stats.cpu_seconds);
  }
  if (stats.resident_memory_bytes) {
    resident_memory_bytes_.set(*stats.resident_memory_bytes);
  }
  if (stats.virtual_memory_bytes) {
    virtual_memory_bytes_.set(*stats.virtual_memory_bytes);
  }
  if (stats.open_fds) {
    open_fds_.set(*stats.open_fds);
  }
  if (stats.max_fds) {
    max_fds_.set(*stats.max_fds);
  }
  if (stats.start_time_seconds) {
    start_time_seconds_.set(*stats.start_time_seconds);
  }
}

std::vector<std::string> process_metrics::refresh() {
  process_stats stats = read_process_stats(source_);
  update(stats);
  return std::move(stats.errors);
}

}  // namespace nimbus::metrics
