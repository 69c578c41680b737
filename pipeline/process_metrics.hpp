#pragma once

// The standard process_* series, read from Linux procfs. Pure file reading, no CAF and no Beast.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/metrics_registry.hpp"

namespace nimbus::metrics {

// Locations of the procfs files and the unit sizes to convert them with. Tests point these at a
// fake tree.
struct proc_source {
  std::filesystem::path process_dir = "/proc/self";  // stat, statm, limits, fd/
  std::filesystem::path system_stat = "/proc/stat";  // btime (boot time, Unix seconds)
  long clock_ticks_per_second = 0;                   // 0 reads sysconf(_SC_CLK_TCK)
  long page_size_bytes = 0;                          // 0 reads sysconf(_SC_PAGESIZE)
};

// One reading of the process. A value is empty when its file could not be read or parsed; `errors`
// then names the file and the reason, one entry per failure.
struct process_stats {
  std::optional<double> cpu_seconds;            // user + system time
  std::optional<double> resident_memory_bytes;  // resident set size
  std::optional<double> virtual_memory_bytes;   // total virtual memory size
  std::optional<double> open_fds;               // entries in fd/
  std::optional<double> max_fds;                // soft limit on open files; +Inf when unlimited
  std::optional<double> start_time_seconds;     // Unix time the process started
  std::vector<std::string> errors;
};

process_stats read_process_stats(const proc_source& source = {});

// The six process_* families in a registry, updated from read_process_stats().
class process_metrics {
 public:
  // Registers process_cpu_seconds_total (counter) and the five gauges in `registry`.
  explicit process_metrics(registry& registry, proc_source source = {});

  // Copies every value present in `stats` into the series; absent values keep their last value.
  void update(const process_stats& stats);

  // Reads procfs and updates the series. Returns the read errors, empty when all files were read.
  std::vector<std::string> refresh();

 private:
  proc_source source_;
  counter& cpu_seconds_;
  gauge& resident_memory_bytes_;
  gauge& virtual_memory_bytes_;
  gauge& open_fds_;
  gauge& max_fds_;
  gauge& start_time_seconds_;
};

}  // namespace nimbus::metrics
