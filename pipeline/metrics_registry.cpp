#include "pipeline/metrics_registry.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

namespace nimbus::metrics {

namespace {

bool is_metric_name(std::string_view name) {
  auto first_ok = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  };
  auto rest_ok = [&](char c) { return first_ok(c) || (c >= '0' && c <= '9'); };

  return !name.empty() && first_ok(name.front()) && std::all_of(name.begin(), name.end(), rest_ok);
}

bool is_label_name(std::string_view name) {
  auto first_ok = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  auto rest_ok = [&](char c) { return first_ok(c) || (c >= '0' && c <= '9'); };

  // Names starting with "__" are reserved for Prometheus' own use.
  return !name.empty() && first_ok(name.front()) && !name.starts_with("__") &&
         std::all_of(name.begin(), name.end(), rest_ok);
}

void check_family_names(const std::string& name, const std::vector<std::string>& label_names,
                        metric_type type) {
  if (!is_metric_name(name)) {
    throw std::invalid_argument(fmt::format(
        "invalid metric name '{}': use letters, digits, '_' and ':', not starting with a digit",
        name));
  }

  for (std::size_t i = 0; i < label_names.size(); ++i) {
    const std::string& label = label_names[i];
    if (!is_label_name(label)) {
      throw std::invalid_argument(fmt::format(
          "invalid label name '{}' in metric '{}': use letters, digits and '_', not starting with "
          "a digit or '__'",
          label, name));
    }
    if (type == metric_type::histogram && label == "le") {
      throw std::invalid_argument(fmt::format(
          "label name 'le' in histogram '{}' is reserved for bucket bounds; rename the label",
          name));
    }
    if (std::find(label_names.begin(), label_names.begin() + static_cast<std::ptrdiff_t>(i),
                  label) != label_names.begin() + static_cast<std::ptrdiff_t>(i)) {
      throw std::invalid_argument(
          fmt::format("label name '{}' appears twice in metric '{}'", label, name));
    }
  }
}

void check_bucket_bounds(const std::string& name, const std::vector<double>& bounds) {
  if (bounds.empty()) {
    throw std::invalid_argument(
        fmt::format("histogram '{}' has no bucket bounds; give at least one finite bound", name));
  }

  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i])) {
      throw std::invalid_argument(
          fmt::format("histogram '{}' bucket bound {} is not finite; +Inf is added implicitly",
                      name, bounds[i]));
    }
    if (i > 0 && !(bounds[i - 1] < bounds[i])) {
      throw std::invalid_argument(
          fmt::format("histogram '{}' bucket bounds must increase strictly, but {} follows {}",
                      name, bounds[i], bounds[i - 1]));
    }
  }
}

// The series names a family writes: histograms write three, the others one.
std::vector<std::string> series_names_of(const std::string& name, metric_type type) {
  if (type != metric_type::histogram) {
    return {name};
  }
  return {name + "_bucket", name + "_sum", name + "_count"};
}

void append_sample_value(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }

  // Every form below is the shortest text that parses back to the same double. Fixed notation
  // is used from 1e-4 up to 1e21 (JavaScript's cut-off for numbers), so a counter reads 1000000
  // rather than 1e+06 and a bucket bound reads le="0.0005", as the Go client writes it, rather
  // than 5e-04. Outside that range the exponent form is shorter and just as exact.
  char buffer[64];
  const bool integral = std::trunc(value) == value && std::fabs(value) < 1e21;
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value,
                              integral ? std::chars_format::fixed : std::chars_format::scientific);
  if (!integral && result.ec == std::errc{}) {
    const std::string_view scientific(buffer, static_cast<std::size_t>(result.ptr - buffer));
    const int exponent = std::stoi(std::string(scientific.substr(scientific.find('e') + 1)));
    if (exponent >= -4 && exponent < 21) {
      result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    }
  }
  if (result.ec != std::errc{}) {
    throw std::logic_error("a 64-byte buffer is too small for a double; this cannot happen");
  }
  out.append(buffer, result.ptr);
}

void append_escaped(std::string& out, std::string_view text, bool escape_quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && escape_quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// Appends `{a="x",b="y"}`, with `le` last when given; nothing at all for no labels.
void append_labels(std::string& out, const std::vector<std::string>& names,
                   const std::vector<std::string>& values, const std::string* le = nullptr) {
  if (names.empty() && le == nullptr) {
    return;
  }

  out += '{';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    out += names[i];
    out += "=\"";
    append_escaped(out, values[i], true);
    out += '"';
  }
  if (le != nullptr) {
    out += names.empty() ? "le=\"" : ",le=\"";
    out += *le;
    out += '"';
  }
  out += '}';
}

void append_sample(std::string& out, std::string_view series, const std::vector<std::string>& names,
                   const std::vector<std::string>& values, double value,
                   const std::string* le = nullptr) {
  out += series;
  append_labels(out, names, values, le);
  out += ' ';
  append_sample_value(out, value);
  out += '\n';
}

}  // namespace

// ---- counter, gauge, histogram ----

void counter::inc(double amount) {
  if (!(amount >= 0.0) || std::isinf(amount)) {
    throw std::invalid_argument(fmt::format(
        "counter increment {} is invalid: counters only go up by finite, non-negative amounts; "
        "use a gauge for values that go down",
        amount));
  }
  value_.fetch_add(amount, std::memory_order_relaxed);
}

bool counter::advance_to(double total) {
  if (!std::isfinite(total)) {
    return false;
  }

  double current = value_.load(std::memory_order_relaxed);
  while (current <= total) {
    if (value_.compare_exchange_weak(current, total, std::memory_order_relaxed)) {
      return true;
    }
  }
  return false;
}

void gauge::set_to_current_time() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  set(std::chrono::duration<double>(since_epoch).count());
}

histogram::histogram(std::shared_ptr<const std::vector<double>> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      bucket_counts_(std::make_unique<std::atomic<std::uint64_t>[]>(upper_bounds_->size() + 1)) {}

void histogram::observe(double value) {
  if (std::isnan(value)) {
    throw std::invalid_argument(
        "histogram observation is NaN; observe only measured values, such as a duration");
  }

  // The first bound not below the value: `le` buckets include their upper bound.
  const auto& bounds = *upper_bounds_;
  const auto bucket = std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();
  bucket_counts_[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

histogram_snapshot histogram::snapshot() const {
  histogram_snapshot result;
  result.cumulative_counts.reserve(upper_bounds_->size() + 1);

  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= upper_bounds_->size(); ++i) {
    running += bucket_counts_[i].load(std::memory_order_relaxed);
    result.cumulative_counts.push_back(running);
  }
  result.count = running;
  result.sum = sum_.load(std::memory_order_relaxed);
  return result;
}

std::vector<double> linear_buckets(double start, double width, std::size_t count) {
  if (!(width > 0.0) || count == 0) {
    throw std::invalid_argument(fmt::format(
        "linear_buckets needs width > 0 and count > 0, got width {} and count {}", width, count));
  }

  std::vector<double> bounds;
  bounds.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    bounds.push_back(start + width * static_cast<double>(i));
  }
  return bounds;
}

std::vector<double> exponential_buckets(double start, double factor, std::size_t count) {
  if (!(start > 0.0) || !(factor > 1.0) || count == 0) {
    throw std::invalid_argument(fmt::format(
        "exponential_buckets needs start > 0, factor > 1 and count > 0, got {}, {} and {}", start,
        factor, count));
  }

  std::vector<double> bounds;
  bounds.reserve(count);
  double bound = start;
  for (std::size_t i = 0; i < count; ++i) {
    bounds.push_back(bound);
    bound *= factor;
  }
  return bounds;
}

std::string_view to_string(metric_type type) {
  switch (type) {
    case metric_type::counter:
      return "counter";
    case metric_type::gauge:
      return "gauge";
    case metric_type::histogram:
      return "histogram";
  }
  return "untyped";
}

// ---- families ----

family_base::family_base(std::string name, std::string help, std::vector<std::string> label_names,
                         metric_type type)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      type_(type) {}

void family_base::render(std::string& out) const {
  out += "# HELP ";
  out += name_;
  out += ' ';
  append_escaped(out, help_, false);
  out += "\n# TYPE ";
  out += name_;
  out += ' ';
  out += to_string(type_);
  out += '\n';

  render_samples(out);
}

void family_base::check_label_count(const std::vector<std::string>& label_values) const {
  if (label_values.size() != label_names_.size()) {
    throw std::invalid_argument(fmt::format("metric '{}' takes {} label values ({}), got {}", name_,
                                            label_names_.size(), fmt::join(label_names_, ", "),
                                            label_values.size()));
  }
}

template <typename Metric>
family<Metric>::family(std::string name, std::string help, std::vector<std::string> label_names,
                       std::shared_ptr<const std::vector<double>> bucket_bounds)
    : family_base(std::move(name), std::move(help), std::move(label_names),
                  std::is_same_v<Metric, counter> ? metric_type::counter
                  : std::is_same_v<Metric, gauge> ? metric_type::gauge
                                                  : metric_type::histogram),
      bucket_bounds_(std::move(bucket_bounds)) {
  // A family without labels has exactly one series; exporting it at zero from the start lets
  // rate() and absent() work before the first event.
  if (family_base::label_names().empty()) {
    children_.emplace(std::vector<std::string>{}, make_child());
  }
}

template <typename Metric>
std::unique_ptr<Metric> family<Metric>::make_child() const {
  if constexpr (std::is_same_v<Metric, histogram>) {
    return std::make_unique<histogram>(bucket_bounds_);
  } else {
    return std::make_unique<Metric>();
  }
}

template <typename Metric>
Metric& family<Metric>::with(const std::vector<std::string>& label_values) {
  check_label_count(label_values);

  std::lock_guard lock(mutex_);
  auto [it, inserted] = children_.try_emplace(label_values);
  if (inserted) {
    it->second = make_child();
  }
  return *it->second;
}

template <typename Metric>
bool family<Metric>::remove(const std::vector<std::string>& label_values) {
  std::lock_guard lock(mutex_);
  return children_.erase(label_values) > 0;
}

template <typename Metric>
std::size_t family<Metric>::remove_matching(std::string_view label_name,
                                            std::string_view label_value) {
  const auto& names = label_names();
  const auto position = std::find(names.begin(), names.end(), label_name);
  if (position == names.end()) {
    throw std::invalid_argument(fmt::format("metric '{}' has no label '{}'; its labels are: {}",
                                            name(), label_name, fmt::join(names, ", ")));
  }
  const auto index = static_cast<std::size_t>(position - names.begin());

  std::lock_guard lock(mutex_);
  return std::erase_if(children_,
                       [&](const auto& child) { return child.first[index] == label_value; });
}

template <typename Metric>
std::size_t family<Metric>::size() const {
  std::lock_guard lock(mutex_);
  return children_.size();
}

template <typename Metric>
void family<Metric>::render_samples(std::string& out) const {
  std::lock_guard lock(mutex_);

  for (const auto& [values, metric] : children_) {
    if constexpr (std::is_same_v<Metric, histogram>) {
      const histogram_snapshot snap = metric->snapshot();
      const auto& bounds = metric->upper_bounds();
      const std::string bucket_series = name() + "_bucket";

      for (std::size_t i = 0; i <= bounds.size(); ++i) {
        const std::string le = i < bounds.size() ? format_sample_value(bounds[i]) : "+Inf";
        append_sample(out, bucket_series, label_names(), values,
                      static_cast<double>(snap.cumulative_counts[i]), &le);
      }
      append_sample(out, name() + "_sum", label_names(), values, snap.sum);
      append_sample(out, name() + "_count", label_names(), values, static_cast<double>(snap.count));
    } else {
      append_sample(out, name(), label_names(), values, metric->value());
    }
  }
}

template class family<counter>;
template class family<gauge>;
template class family<histogram>;

// ---- registry ----

std::vector<std::string> registry::series_names_in_use() const {
  std::vector<std::string> names;
  for (const auto& existing : families_) {
    for (auto& series : series_names_of(existing->name(), existing->type())) {
      names.push_back(std::move(series));
    }
  }
  return names;
}

void registry::check_name_is_free(const std::string& name, metric_type type) const {
  const std::vector<std::string> in_use = series_names_in_use();

  for (const auto& series : series_names_of(name, type)) {
    if (std::find(in_use.begin(), in_use.end(), series) != in_use.end()) {
      throw std::invalid_argument(fmt::format(
          "metric '{}' is registered twice (series '{}' already exists); register each family "
          "once and keep the reference add_* returns",
          name, series));
    }
  }
}

template <typename Metric>
family<Metric>& registry::add_family(std::string name, std::string help,
                                     std::vector<std::string> label_names, metric_type type,
                                     std::shared_ptr<const std::vector<double>> bucket_bounds) {
  check_family_names(name, label_names, type);

  std::lock_guard lock(mutex_);
  check_name_is_free(name, type);

  auto created = std::make_unique<family<Metric>>(std::move(name), std::move(help),
                                                  std::move(label_names), std::move(bucket_bounds));
  family<Metric>& result = *created;
  families_.push_back(std::move(created));
  return result;
}

family<counter>& registry::add_counter(std::string name, std::string help,
                                       std::vector<std::string> label_names) {
  return add_family<counter>(std::move(name), std::move(help), std::move(label_names),
                             metric_type::counter, nullptr);
}

family<gauge>& registry::add_gauge(std::string name, std::string help,
                                   std::vector<std::string> label_names) {
  return add_family<gauge>(std::move(name), std::move(help), std::move(label_names),
                           metric_type::gauge, nullptr);
}

family<histogram>& registry::add_histogram(std::string name, std::string help,
                                           std::vector<std::string> label_names,
                                           std::vector<double> bucket_bounds) {
  check_bucket_bounds(name, bucket_bounds);
  auto shared_bounds = std::make_shared<const std::vector<double>>(std::move(bucket_bounds));
  return add_family<histogram>(std::move(name), std::move(help), std::move(label_names),
                               metric_type::histogram, std::move(shared_bounds));
}

void registry::add_render_hook(std::function<void()> hook) {
  std::lock_guard lock(mutex_);
  render_hooks_.push_back(std::move(hook));
}

void registry::render(std::string& out) const {
  out.clear();

  // Hooks run without the registry lock, so a hook may look up or create children.
  std::vector<std::function<void()>> hooks;
  {
    std::lock_guard lock(mutex_);
    hooks = render_hooks_;
  }
  for (const auto& hook : hooks) {
    hook();
  }

  std::lock_guard lock(mutex_);
  for (const auto& each : families_) {
    each->render(out);
  }
}

std::string registry::render() const {
  std::string out;
  render(out);
  return out;
}

// ---- formatting ----

std::string format_sample_value(double value) {
  std::string out;
  append_sample_value(out, value);
  return out;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  append_escaped(out, value, true);
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  append_escaped(out, help, false);
  return out;
}

}  // namespace nimbus::metrics
