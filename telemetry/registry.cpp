#include "telemetry/registry.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace kactor::telemetry {
namespace {

std::string escape(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

/// Numbers as Prometheus reads them (Go's ParseFloat): shortest round-trip form.
std::string number(double v) { return fmt::format("{}", v); }

const char* type_name(int type) {
  static constexpr const char* names[] = {"counter", "gauge", "histogram"};
  return names[type];
}

/// `{labels}` or nothing; `extra` (le="...") goes last, as upstream's clients print it.
std::string braces(const std::string& labels, const std::string& extra = "") {
  if (labels.empty() && extra.empty()) return "";
  if (labels.empty()) return "{" + extra + "}";
  if (extra.empty()) return "{" + labels + "}";
  return "{" + labels + "," + extra + "}";
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end()))
    throw std::logic_error("histogram bounds must ascend");
}

void Histogram::observe(double value) {
  // The first bound >= value (Prometheus buckets are "less than or equal").
  auto i = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.upper_bounds = bounds_;
  s.cumulative.reserve(bounds_.size());
  for (size_t i = 0; i < bounds_.size(); ++i) {
    s.count += counts_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(s.count);
  }
  s.count += counts_[bounds_.size()].load(std::memory_order_relaxed);
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

std::vector<double> exponential_buckets(double start, double factor, int count) {
  std::vector<double> out;
  for (double b = start; count-- > 0; b *= factor) out.push_back(b);
  return out;
}

std::string label_text(Labels labels) {
  std::sort(labels.begin(), labels.end());
  std::string out;
  for (const auto& [name, value] : labels) {
    if (!out.empty()) out.push_back(',');
    out += name + "=\"" + escape(value) + "\"";
  }
  return out;
}

Registry& Registry::global() {
  static Registry* registry = new Registry;  // never destroyed: series outlive every user
  return *registry;
}

Registry::Family& Registry::family(std::string_view name, std::string_view help, Type type,
                                   const std::vector<double>* bounds) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    Family f{type, std::string(help), bounds ? *bounds : std::vector<double>{}, {}, {}, {}};
    it = families_.emplace(std::string(name), std::move(f)).first;
  }
  auto& f = it->second;
  if (f.type != type)
    throw std::logic_error(fmt::format("metric {} is a {}, not a {}", name,
                                       type_name(int(f.type)), type_name(int(type))));
  if (bounds && *bounds != f.bounds)
    throw std::logic_error(fmt::format("metric {} has other buckets", name));
  return f;
}

Counter& Registry::counter(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Type::counter, nullptr).counters[label_text(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Registry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Type::gauge, nullptr).gauges[label_text(labels)];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& Registry::histogram(std::string_view name, std::string_view help,
                               const std::vector<double>& upper_bounds, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Type::histogram, &upper_bounds).histograms[label_text(labels)];
  if (!slot) slot = std::make_unique<Histogram>(upper_bounds);
  return *slot;
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, f] : families_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, f.help, name, type_name(int(f.type)));
    for (const auto& [labels, c] : f.counters)
      out += fmt::format("{}{} {}\n", name, braces(labels), c->value());
    for (const auto& [labels, g] : f.gauges)
      out += fmt::format("{}{} {}\n", name, braces(labels), g->value());
    for (const auto& [labels, h] : f.histograms) {
      auto s = h->snapshot();
      for (size_t i = 0; i < s.upper_bounds.size(); ++i)
        out += fmt::format("{}_bucket{} {}\n", name,
                           braces(labels, "le=\"" + number(s.upper_bounds[i]) + "\""),
                           s.cumulative[i]);
      out += fmt::format("{}_bucket{} {}\n", name, braces(labels, "le=\"+Inf\""), s.count);
      out += fmt::format("{}_sum{} {}\n", name, braces(labels), number(s.sum));
      out += fmt::format("{}_count{} {}\n", name, braces(labels), s.count);
    }
  }
  return out;
}

}  // namespace kactor::telemetry
