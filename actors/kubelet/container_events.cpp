#include "actors/kubelet/container_events.hpp"

#include <fmt/format.h>

#include "api/util/go_format.hpp"

namespace kactor::kubelet {
namespace {

/// `v` in units of 10^-digits, as Go prints a duration's fraction: "1", "1.5", "1.25".
std::string fixed(uint64_t v, int digits) {
  uint64_t scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  std::string out = std::to_string(v / scale);
  if (auto frac = v % scale) {
    auto f = std::to_string(frac);
    f.insert(0, digits - f.size(), '0');
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

}  // namespace

std::string field_path_of(const ContainerRec& c) {
  return fmt::format("spec.{}{{{}}}", c.is_init() ? "initContainers" : "containers", c.name);
}

std::string go_duration(Duration d) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  if (ns == 0) return "0s";
  const bool negative = ns < 0;
  uint64_t u = negative ? uint64_t(-ns) : uint64_t(ns);
  std::string out;
  constexpr uint64_t kSecond = 1'000'000'000, kMinute = 60 * kSecond, kHour = 60 * kMinute;
  if (u < 1'000) {
    out = std::to_string(u) + "ns";
  } else if (u < 1'000'000) {
    out = fixed(u, 3) + "\u00b5s";
  } else if (u < kSecond) {
    out = fixed(u, 6) + "ms";
  } else {
    auto hours = u / kHour;
    u %= kHour;
    auto minutes = u / kMinute;
    u %= kMinute;
    if (hours) out += std::to_string(hours) + "h";
    if (hours || minutes) out += std::to_string(minutes) + "m";
    out += fixed(u, 9) + "s";
  }
  return negative ? "-" + out : out;
}

void record_container_event(Self* self, const PodWorker& w, const ContainerRec& c,
                            const char* type, const char* reason, const std::string& message) {
  self->state.events->record(*w.pod, type, reason, message, field_path_of(c));
}

void record_image_events(Self* self, PodWorker& w, ContainerRec& c) {
  const auto& spec = spec_of(*w.pod, c);
  const auto image = api::util::go_quote(spec.image);
  // Upstream's image manager: Always pulls every time; IfNotPresent and Never use an image
  // the runtime holds. (Never with the image missing is not refused: see docs/kubelet.md.)
  const bool present = self->state.runtime->image_size(spec.image).has_value();
  if (present && spec.image_pull_policy != "Always") {
    c.pull_started.reset();
    return record_container_event(self, w, c, "Normal", event_reason::kPulled,
                                  fmt::format("Container image {} already present on machine",
                                              image));
  }
  c.pull_started = clock_of(self).now();
  record_container_event(self, w, c, "Normal", event_reason::kPulling,
                         fmt::format("Pulling image {}", image));
}

void record_started_events(Self* self, PodWorker& w, ContainerRec& c, TimePoint at) {
  if (auto since = std::exchange(c.pull_started, std::nullopt)) {
    // The simulated runtime pulls and starts in one step: the pull is all of it. Upstream
    // truncates to milliseconds; "including waiting" is the same (pulls are not serialized).
    auto took = go_duration(std::chrono::floor<std::chrono::milliseconds>(at - *since));
    const auto& image = spec_of(*w.pod, c).image;
    auto size = self->state.runtime->image_size(image).value_or(0);
    record_container_event(
        self, w, c, "Normal", event_reason::kPulled,
        fmt::format("Successfully pulled image {} in {} ({} including waiting). Image size: {} "
                    "bytes.",
                    api::util::go_quote(image), took, took, size));
  }
  record_container_event(self, w, c, "Normal", event_reason::kCreated,
                         "Created container: " + c.name);
  record_container_event(self, w, c, "Normal", event_reason::kStarted,
                         "Started container " + c.name);
}

}  // namespace kactor::kubelet
