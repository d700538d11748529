#include "actors/kubelet/eviction_config.hpp"

#include <charconv>

#include <fmt/format.h>

#include "api/time/go_duration.hpp"

namespace kactor::kubelet {
namespace {

constexpr std::pair<Signal, std::string_view> kSignals[] = {
    {Signal::memory_available, "memory.available"},
    {Signal::nodefs_available, "nodefs.available"},
    {Signal::nodefs_inodes_free, "nodefs.inodesFree"},
    {Signal::imagefs_available, "imagefs.available"},
    {Signal::imagefs_inodes_free, "imagefs.inodesFree"},
    {Signal::pid_available, "pid.available"},
};

api::Result<Signal> parse_signal(const std::string& field, const std::string& name) {
  for (const auto& [signal, text] : kSignals)
    if (text == name) return signal;
  return api::fail(api::bad_request(fmt::format(
      "{}[{}]: unsupported eviction signal {} (supported: memory.available, nodefs.available, "
      "nodefs.inodesFree, imagefs.available, imagefs.inodesFree, pid.available)",
      field, name, name)));
}

/// "100Mi" or "10%"; nullopt for "0%" and "100%" (the threshold is off).
api::Result<std::optional<ThresholdValue>> parse_value(const std::string& field,
                                                       const std::string& key,
                                                       const std::string& text) {
  auto bad = [&](std::string_view why) {
    return api::fail(api::bad_request(fmt::format("{}[{}]: \"{}\" {}", field, key, text, why)));
  };
  ThresholdValue v;
  if (text.ends_with('%')) {
    if (text == "0%" || text == "100%") return std::optional<ThresholdValue>{};
    double pct = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, pct);
    if (ec != std::errc() || p != text.data() + text.size() - 1)
      return bad("is not a percentage (\"10%\")");
    if (pct < 0 || pct > 100) return bad("must be >= 0% and <= 100%");
    v.percentage = pct / 100;
    return std::optional<ThresholdValue>{v};
  }
  auto q = api::Quantity::parse(text);
  if (!q) return bad("is not a quantity (\"100Mi\") nor a percentage (\"10%\")");
  if (q->sign() <= 0) return bad("must be positive");
  v.quantity = *q;
  return std::optional<ThresholdValue>{v};
}

api::Result<void> add_statements(std::vector<Threshold>& out, const std::string& field,
                                 const std::map<std::string, std::string>& statements) {
  for (const auto& [key, text] : statements) {
    auto signal = parse_signal(field, key);
    if (!signal) return api::fail(signal.error());
    auto value = parse_value(field, key, text);
    if (!value) return api::fail(value.error());
    if (*value) out.push_back(Threshold{*signal, **value, {}, {}});
  }
  return {};
}

}  // namespace

std::string_view signal_name(Signal signal) {
  for (const auto& [s, text] : kSignals)
    if (s == signal) return text;
  return "";
}

std::string_view condition_of(Signal signal) {
  switch (signal) {
    case Signal::memory_available:
      return "MemoryPressure";
    case Signal::pid_available:
      return "PIDPressure";
    default:
      return "DiskPressure";
  }
}

std::string_view resource_of(Signal signal) {
  switch (signal) {
    case Signal::memory_available:
      return "memory";
    case Signal::nodefs_available:
    case Signal::imagefs_available:
      return "ephemeral-storage";
    case Signal::pid_available:
      return "pids";
    default:
      return "inodes";
  }
}

int64_t ThresholdValue::amount(int64_t capacity) const {
  if (quantity) return quantity->value();
  return static_cast<int64_t>(static_cast<double>(capacity) * percentage);
}

api::Result<std::vector<Threshold>> parse_thresholds(const EvictionOptions& options) {
  std::vector<Threshold> hard, soft;
  if (auto s = add_statements(hard, "evictionHard", options.hard); !s) return api::fail(s.error());
  if (auto s = add_statements(soft, "evictionSoft", options.soft); !s) return api::fail(s.error());
  std::map<Signal, Duration> grace;
  for (const auto& [key, text] : options.soft_grace_period) {
    auto signal = parse_signal("evictionSoftGracePeriod", key);
    if (!signal) return api::fail(signal.error());
    auto d = parse_go_duration(text);
    if (!d || *d <= Duration::zero())
      return api::fail(api::bad_request(fmt::format(
          "evictionSoftGracePeriod[{}]: \"{}\" is not a positive duration (\"1m30s\")", key, text)));
    grace[*signal] = *d;
  }
  for (auto& t : soft) {
    auto g = grace.find(t.signal);
    if (g == grace.end())
      return api::fail(api::bad_request(fmt::format(
          "evictionSoftGracePeriod: grace period must be specified for the soft eviction "
          "threshold {}",
          signal_name(t.signal))));
    t.grace_period = g->second;
  }
  std::map<Signal, ThresholdValue> reclaim;
  for (const auto& [key, text] : options.minimum_reclaim) {
    auto signal = parse_signal("evictionMinimumReclaim", key);
    if (!signal) return api::fail(signal.error());
    auto value = parse_value("evictionMinimumReclaim", key, text);
    if (!value) return api::fail(value.error());
    if (*value) reclaim[*signal] = **value;
  }
  if (options.pressure_transition_period < Duration::zero())
    return api::fail(
        api::bad_request("evictionPressureTransitionPeriod: must not be negative"));
  hard.insert(hard.end(), soft.begin(), soft.end());
  for (auto& t : hard)
    if (auto r = reclaim.find(t.signal); r != reclaim.end()) t.min_reclaim = r->second;
  return hard;
}

}  // namespace kactor::kubelet
