// Go-style durations ("1h", "30m", "1m30s", "90s", "500ms", "0"), as Kubernetes flags and
// configuration files write them (time.ParseDuration): one parser for every place that reads
// one (`kactor up --event-ttl`, the kubelet's eviction settings, the simulated runtime's
// usage schedules).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/time/clock.hpp"

namespace kactor {

/// A sequence of <integer><unit> with units h, m, s, ms, us, ns ("0" alone is zero); nullopt
/// if it does not parse (empty, a sign, a fraction, an unknown unit, a number of more than
/// 9 digits).
std::optional<Duration> parse_go_duration(std::string_view text);

/// `d` as Go prints a duration: "1m30s", "100ms", "0s".
std::string format_go_duration(Duration d);

}  // namespace kactor
