#include "actors/http/metrics.hpp"

#include <fmt/format.h>

namespace kactor::http {
namespace {

std::string escape(const std::string& v) {
  std::string out;
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

std::string label_text(const RequestLabels& l) {
  return fmt::format(
      R"(component="apiserver",group="{}",resource="{}",scope="{}",subresource="{}",verb="{}",version="{}")",
      escape(l.group), escape(l.resource), escape(l.scope), escape(l.subresource), escape(l.verb),
      escape(l.version));
}

}  // namespace

void Metrics::observe(const RequestLabels& labels, int code, double seconds) {
  std::lock_guard lock(mutex_);
  ++totals_[{labels, code}];
  if (labels.verb == "WATCH") return;  // upstream leaves long-running requests out
  auto& h = durations_[labels];
  ++h.count;
  h.sum += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
}

void Metrics::watch_open(const RequestLabels& labels, int delta) {
  std::lock_guard lock(mutex_);
  watches_[labels] += delta;
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP apiserver_request_total Counter of apiserver requests broken out for each verb, "
         "dry run value, group, version, resource, scope, component, and HTTP response code.\n"
         "# TYPE apiserver_request_total counter\n";
  for (const auto& [key, n] : totals_)
    out += fmt::format("apiserver_request_total{{code=\"{}\",{}}} {}\n", key.second,
                       label_text(key.first), n);
  out += "# HELP apiserver_request_duration_seconds Response latency distribution in seconds for "
         "each verb, dry run value, group, version, resource, subresource, scope and component.\n"
         "# TYPE apiserver_request_duration_seconds histogram\n";
  for (const auto& [labels, h] : durations_) {
    const auto l = label_text(labels);
    for (size_t i = 0; i < kBuckets.size(); ++i)
      out += fmt::format("apiserver_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", l,
                         kBuckets[i], h.buckets[i]);
    out += fmt::format("apiserver_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", l, h.count);
    out += fmt::format("apiserver_request_duration_seconds_sum{{{}}} {}\n", l, h.sum);
    out += fmt::format("apiserver_request_duration_seconds_count{{{}}} {}\n", l, h.count);
  }
  out += "# HELP apiserver_longrunning_requests Gauge of all active long-running apiserver "
         "requests broken out by verb, group, version, resource, scope and component.\n"
         "# TYPE apiserver_longrunning_requests gauge\n";
  for (const auto& [labels, n] : watches_)
    out += fmt::format("apiserver_longrunning_requests{{{}}} {}\n", label_text(labels), n);
  return out;
}

}  // namespace kactor::http
