#pragma once

// Prometheus exposition: counter, gauge and histogram families with labelled children, rendered in
// the text format 0.0.4. Pure code, no CAF and no Beast. Several actor threads may update metrics
// while the HTTP thread renders them.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace nimbus::metrics {

// A monotonically increasing value, such as requests served or fetches failed.
class counter {
 public:
  // Adds `amount`. Throws std::invalid_argument when `amount` is negative, NaN or infinite, because
  // a counter that goes down reads as a process restart to rate().
  void inc(double amount = 1.0);

  // Raises the value to `total`, for mirroring a total kept elsewhere (CPU seconds from /proc).
  // Returns false and keeps the value when `total` is below it, NaN or infinite.
  bool advance_to(double total);

  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// A value that goes up and down, such as a price, an age or a 0/1 state.
class gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  void inc(double amount = 1.0) { value_.fetch_add(amount, std::memory_order_relaxed); }
  void dec(double amount = 1.0) { value_.fetch_sub(amount, std::memory_order_relaxed); }

  // Sets the value to the current Unix time in seconds, for last-success timestamps.
  void set_to_current_time();

  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// A consistent-enough copy of a histogram: bucket counts are cumulative and the last entry is the
// +Inf bucket, so it always equals `count`. `sum` may lag the counts by the observations in flight.
struct histogram_snapshot {
  std::vector<std::uint64_t> cumulative_counts;
  double sum = 0.0;
  std::uint64_t count = 0;
};

// Observations sorted into fixed buckets by upper bound (inclusive, as Prometheus' `le`).
class histogram {
 public:
  // `upper_bounds` must be finite and strictly increasing; +Inf is added implicitly.
  explicit histogram(std::shared_ptr<const std::vector<double>> upper_bounds);

  // Records one observation. Throws std::invalid_argument for NaN, which would poison the sum.
  void observe(double value);

  histogram_snapshot snapshot() const;
  const std::vector<double>& upper_bounds() const { return *upper_bounds_; }

 private:
  std::shared_ptr<const std::vector<double>> upper_bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> bucket_counts_;  // per bucket, not cumulative
  std::atomic<double> sum_{0.0};
};

// Bucket bounds `start`, `start + width`, ... (`count` of them).
std::vector<double> linear_buckets(double start, double width, std::size_t count);

// Bucket bounds `start`, `start * factor`, ... (`count` of them); `start` > 0 and `factor` > 1.
std::vector<double> exponential_buckets(double start, double factor, std::size_t count);

enum class metric_type { counter, gauge, histogram };

std::string_view to_string(metric_type type);

// The parts of a family that rendering and registration need, whatever its metric type.
class family_base {
 public:
  family_base(std::string name, std::string help, std::vector<std::string> label_names,
              metric_type type);
  virtual ~family_base() = default;

  family_base(const family_base&) = delete;
  family_base& operator=(const family_base&) = delete;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  metric_type type() const { return type_; }

  // Appends # HELP, # TYPE and one sample line per child (three kinds of line for histograms).
  void render(std::string& out) const;

 protected:
  virtual void render_samples(std::string& out) const = 0;

  // Throws std::invalid_argument unless there is one value per label name.
  void check_label_count(const std::vector<std::string>& label_values) const;

 private:
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  metric_type type_;
};

// One metric name with its children, one child per combination of label values. Children render
// sorted by their label values, so the output order does not depend on which thread came first.
template <typename Metric>
class family final : public family_base {
 public:
  family(std::string name, std::string help, std::vector<std::string> label_names,
         std::shared_ptr<const std::vector<double>> bucket_bounds);

  // Returns the child for these label values (in label-name order), creating it at zero. The
  // reference stays valid until remove() drops that child, so callers look it up once and keep it.
  // Throws std::invalid_argument when the number of values differs from the number of label names.
  Metric& with(const std::vector<std::string>& label_values);

  // Drops one child, for example a venue removed from the configuration. Returns false when no
  // child has these values. References to the dropped child dangle afterwards.
  bool remove(const std::vector<std::string>& label_values);

  // Drops every child whose label `label_name` equals `label_value`; returns how many. Throws
  // std::invalid_argument when the family has no such label.
  std::size_t remove_matching(std::string_view label_name, std::string_view label_value);

  std::size_t size() const;

 private:
  void render_samples(std::string& out) const override;
  std::unique_ptr<Metric> make_child() const;

  mutable std::mutex mutex_;  // guards children_; the metrics themselves are atomic
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;
  std::shared_ptr<const std::vector<double>> bucket_bounds_;  // histograms only
};

extern template class family<counter>;
extern template class family<gauge>;
extern template class family<histogram>;

// The set of metric families one /metrics endpoint exposes, rendered in registration order.
class registry {
 public:
  registry() = default;
  registry(const registry&) = delete;
  registry& operator=(const registry&) = delete;

  // Each add_* throws std::invalid_argument for an invalid metric or label name, or for a name
  // (including a histogram's _bucket, _sum and _count series) that another family already uses.
  // A family without labels starts with its single child at zero, so it is exported from start-up.
  family<counter>& add_counter(std::string name, std::string help,
                               std::vector<std::string> label_names = {});
  family<gauge>& add_gauge(std::string name, std::string help,
                           std::vector<std::string> label_names = {});

  // `bucket_bounds` must be non-empty, finite and strictly increasing; the label name "le" is
  // reserved for the buckets.
  family<histogram>& add_histogram(std::string name, std::string help,
                                   std::vector<std::string> label_names,
                                   std::vector<double> bucket_bounds);

  // Registers a function that render() calls first, to refresh values that are read on demand,
  // such as process metrics. Hooks run on the rendering thread and must not call render().
  void add_render_hook(std::function<void()> hook);

  // Writes the text format 0.0.4 into `out`, replacing its contents but keeping its capacity, so a
  // scrape handler can reuse one buffer.
  void render(std::string& out) const;
  std::string render() const;

 private:
  void check_name_is_free(const std::string& name, metric_type type) const;
  std::vector<std::string> series_names_in_use() const;

  template <typename Metric>
  family<Metric>& add_family(std::string name, std::string help,
                             std::vector<std::string> label_names, metric_type type,
                             std::shared_ptr<const std::vector<double>> bucket_bounds);

  mutable std::mutex mutex_;  // guards families_ and render_hooks_
  std::vector<std::unique_ptr<family_base>> families_;
  std::vector<std::function<void()>> render_hooks_;
};

// Formats a sample value as the text format expects: NaN, +Inf, -Inf, or the fewest digits that
// parse back to the same double, without an exponent for magnitudes from 1e-4 up to 1e21.
std::string format_sample_value(double value);

// Escapes a label value: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);

// Escapes HELP text: backslash and newline.
std::string escape_help(std::string_view help);

}  // namespace nimbus::metrics
