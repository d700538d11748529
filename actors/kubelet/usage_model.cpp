#include "actors/kubelet/usage_model.hpp"

#include <fmt/format.h>

#include "actors/kubelet/request_load.hpp"
#include "api/quantity/quantity.hpp"
#include "api/time/go_duration.hpp"

namespace kactor::kubelet {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

/// A quantity as the schedule's unit: nanocores for cpu, bytes otherwise.
api::Result<int64_t> parse_amount(std::string_view text, UsageResource resource) {
  auto q = api::Quantity::parse(text);
  if (!q || q->sign() < 0)
    return api::fail(api::bad_request(fmt::format(
        "\"{}\" is not a quantity of {} (\"{}\")", text,
        resource == UsageResource::cpu ? "cpu" : "bytes",
        resource == UsageResource::cpu ? "250m" : "300Mi")));
  // 10^6 cores at most: nanocores stay within int64, and cumulative sums within uint64 for
  // centuries.
  if (resource == UsageResource::cpu) {
    if (q->milli_value() > 1'000'000'000)
      return api::fail(api::bad_request(fmt::format("\"{}\" is more cpu than modelled", text)));
    return q->milli_value() * 1'000'000;
  }
  return q->value();
}

}  // namespace

UsageSchedule UsageSchedule::constant(int64_t amount) {
  UsageSchedule s;
  s.segments_ = {Segment{amount, Duration::max()}};
  return s;
}

api::Result<UsageSchedule> UsageSchedule::parse(std::string_view text, UsageResource resource) {
  UsageSchedule out;
  out.segments_.clear();
  auto rest = trim(text);
  if (rest.empty()) return api::fail(api::bad_request("the value is empty"));
  for (size_t n = 1;; ++n) {
    auto comma = rest.find(',');
    auto part = trim(rest.substr(0, comma));
    bool last = comma == std::string_view::npos;
    if (n > 1) {
      if (part != "then" && !part.starts_with("then "))
        return api::fail(api::bad_request(fmt::format(
            "segment {} (\"{}\") does not begin with \"then \"; write \"<quantity> for "
            "<duration>, then <quantity>\"",
            n, part)));
      part = trim(part.substr(4));
      if (part.empty())
        return api::fail(
            api::bad_request(fmt::format("segment {} has no quantity after \"then\"", n)));
    }
    auto for_at = part.find(" for ");
    Segment seg;
    auto amount = parse_amount(trim(part.substr(0, for_at)), resource);
    if (!amount) return api::fail(amount.error());
    seg.amount = *amount;
    if (for_at != std::string_view::npos) {
      auto length_text = trim(part.substr(for_at + 5));
      auto length = parse_go_duration(length_text);
      if (!length || *length <= Duration::zero())
        return api::fail(api::bad_request(fmt::format(
            "\"{}\" in segment {} is not a positive duration (\"60s\", \"2m\", \"1m30s\")",
            length_text, n)));
      if (last)
        return api::fail(api::bad_request(fmt::format(
            "the last segment (\"{}\") must go on for ever: end with \", then <quantity>\"",
            part)));
      seg.length = *length;
    } else if (!last) {
      return api::fail(api::bad_request(fmt::format(
          "segment {} (\"{}\") has no length; only the last segment goes on for ever", n, part)));
    }
    out.segments_.push_back(seg);
    if (last) break;
    rest = rest.substr(comma + 1);
  }
  return out;
}

int64_t UsageSchedule::at(Duration since_start) const {
  for (const auto& s : segments_) {
    if (since_start < s.length) return s.amount;
    since_start -= s.length;
  }
  return segments_.back().amount;
}

uint64_t UsageSchedule::cumulative(Duration since_start) const {
  if (since_start <= Duration::zero()) return 0;
  __int128 total = 0;  // amount × nanoseconds
  for (const auto& s : segments_) {
    auto part = std::min(since_start, s.length);
    total += static_cast<__int128>(s.amount) * part.count();
    since_start -= part;
    if (since_start <= Duration::zero()) break;
  }
  return static_cast<uint64_t>(total / 1'000'000'000);
}

namespace {

/// The annotation that applies to `container` for `key`: key.<container>, else key.
const std::pair<const std::string, std::string>* usage_annotation(const Annotations& annotations,
                                                                  const char* key,
                                                                  const std::string& container) {
  auto it = annotations.find(std::string(key) + "." + container);
  if (it == annotations.end()) it = annotations.find(key);
  return it == annotations.end() ? nullptr : &*it;
}

UsageSchedule from_request(const api::Container& container, const char* resource,
                           int64_t baseline, double fraction, UsageResource kind) {
  auto it = container.resources.requests.find(resource);
  if (it == container.resources.requests.end() || it->second.is_zero())
    return UsageSchedule::constant(baseline);
  double request = kind == UsageResource::cpu ? static_cast<double>(it->second.milli_value()) * 1e6
                                              : static_cast<double>(it->second.value());
  return UsageSchedule::constant(static_cast<int64_t>(request * fraction));
}

}  // namespace

ContainerUsageModel container_usage_model(const api::Container& container,
                                          const Annotations& annotations,
                                          const UsageModelOptions& options,
                                          std::vector<std::string>& problems) {
  ContainerUsageModel m;
  m.cpu = idles_between_requests(container.image)
              ? UsageSchedule::constant(kIdleServerMillicores * 1'000'000)
              : from_request(container, "cpu", options.baseline_cpu_millicores * 1'000'000,
                             options.request_fraction, UsageResource::cpu);
  m.memory = from_request(container, "memory", options.baseline_memory_bytes,
                          options.request_fraction, UsageResource::memory);
  m.disk = UsageSchedule::constant(0);
  auto apply = [&](const char* key, UsageResource kind, UsageSchedule& into) {
    const auto* a = usage_annotation(annotations, key, container.name);
    if (!a) return;
    auto parsed = UsageSchedule::parse(a->second, kind);
    if (parsed)
      into = std::move(*parsed);
    else
      problems.push_back(fmt::format("annotation {}: \"{}\": {}", a->first, a->second,
                                     parsed.error().message));
  };
  apply(kCpuUsageAnnotation, UsageResource::cpu, m.cpu);
  apply(kMemoryUsageAnnotation, UsageResource::memory, m.memory);
  apply(kDiskUsageAnnotation, UsageResource::disk, m.disk);
  return m;
}

}  // namespace kactor::kubelet
