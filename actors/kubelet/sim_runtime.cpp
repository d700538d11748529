#include "actors/kubelet/sim_runtime.hpp"

#include <charconv>

namespace kactor::kubelet {
namespace {

std::optional<int64_t> int_annotation(const std::map<std::string, std::string>& a,
                                      const char* key) {
  auto it = a.find(key);
  if (it == a.end()) return std::nullopt;
  int64_t v = 0;
  const auto& s = it->second;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

SimRuntime::SimRuntime(Clock& clock, RuntimeEventSink sink, SimRuntimeOptions options)
    : clock_(clock),
      sink_(std::make_shared<RuntimeEventSink>(std::move(sink))),
      options_(options) {}

SimRuntime::~SimRuntime() {
  for (auto& [id, timers] : timers_)
    for (auto t : timers) clock_.cancel(t);
}

api::Result<std::string> SimRuntime::start_container(const ContainerConfig& config) {
  auto run_seconds = int_annotation(config.annotations, kRunSecondsAnnotation);
  auto exit_code = int_annotation(config.annotations, kExitCodeAnnotation);
  if (config.annotations.contains(kRunSecondsAnnotation) && (!run_seconds || *run_seconds < 0))
    return api::fail(api::bad_request(std::string("annotation ") + kRunSecondsAnnotation +
                                      " must be a non-negative integer"));
  if (config.annotations.contains(kExitCodeAnnotation) && !exit_code)
    return api::fail(
        api::bad_request(std::string("annotation ") + kExitCodeAnnotation + " must be an integer"));

  std::string id =
      "sim://" + config.pod_uid + "-" + config.container_name + "-" + std::to_string(next_++);
  auto& timers = timers_[id];
  auto sink = sink_;
  auto& clock = clock_;
  timers.push_back(clock_.schedule_after(options_.start_delay, [sink, id, &clock] {
    (*sink)({RuntimeEvent::Type::started, id, 0, "", clock.now()});
  }));
  if (run_seconds) {
    int32_t code = static_cast<int32_t>(exit_code.value_or(0));
    Duration at = options_.start_delay + std::chrono::seconds(*run_seconds);
    timers.push_back(clock_.schedule_after(at, [sink, id, code, &clock] {
      (*sink)(
          {RuntimeEvent::Type::exited, id, code, code == 0 ? "Completed" : "Error", clock.now()});
    }));
  }
  return id;
}

void SimRuntime::cancel_timers(const std::string& id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  for (auto t : it->second) clock_.cancel(t);
  timers_.erase(it);
}

void SimRuntime::stop_container(const std::string& container_id, Duration grace) {
  if (!timers_.contains(container_id)) return;  // unknown, or already stopped
  cancel_timers(container_id);
  bool killed = options_.stop_delay > grace;
  Duration after = killed ? grace : options_.stop_delay;
  RuntimeEvent ev{RuntimeEvent::Type::exited,
                  container_id,
                  killed ? 137 : 0,
                  killed ? "Error" : "Completed",
                  {}};
  auto sink = sink_;
  auto& clock = clock_;
  if (after <= Duration::zero()) {
    ev.at = clock_.now();
    (*sink)(ev);
    return;
  }
  // Kept so that the destructor (or a second stop, which starts over) cancels it.
  timers_[container_id].push_back(clock_.schedule_after(after, [sink, ev, &clock]() mutable {
    ev.at = clock.now();
    (*sink)(ev);
  }));
}

RuntimeFactory sim_runtime_factory(SimRuntimeOptions options) {
  return [options](Clock& clock, RuntimeEventSink sink) -> std::unique_ptr<ContainerRuntime> {
    return std::make_unique<SimRuntime>(clock, std::move(sink), options);
  };
}

}  // namespace kactor::kubelet
