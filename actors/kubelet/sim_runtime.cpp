#include "actors/kubelet/sim_runtime.hpp"

#include "actors/kubelet/container_runtime_wrapper.hpp"

namespace kactor::kubelet {

SimRuntime::SimRuntime(Clock& clock, RuntimeEventSink sink, SimRuntimeOptions options)
    : clock_(clock), shared_(std::make_shared<Shared>()), options_(options) {
  shared_->sink = std::move(sink);
}

SimRuntime::~SimRuntime() {
  std::lock_guard lock(shared_->mutex);
  for (auto& [id, record] : shared_->containers)
    for (auto t : record.timers) clock_.cancel(t);
  shared_->containers.clear();
}

void SimRuntime::attach(RuntimeEventSink sink) {
  std::lock_guard lock(shared_->mutex);
  shared_->sink = std::move(sink);
}

void SimRuntime::emit(Shared& shared, const RuntimeEvent& ev) {
  auto it = shared.containers.find(ev.container_id);
  if (it == shared.containers.end()) return;
  auto& info = it->second.info;
  if (ev.type == RuntimeEvent::Type::started) {
    info.state = ContainerInfo::State::running;
    info.started_at = ev.at;
  } else {
    info.state = ContainerInfo::State::exited;
    info.finished_at = ev.at;
    info.exit_code = ev.exit_code;
    info.reason = ev.reason;
    it->second.timers.clear();
  }
  if (shared.sink) shared.sink(ev);
}

Clock::TimerId SimRuntime::schedule(Clock& clock, const std::shared_ptr<Shared>& shared,
                                    Duration after, RuntimeEvent ev) {
  return clock.schedule_after(after, [shared, ev, &clock]() mutable {
    std::lock_guard lock(shared->mutex);
    ev.at = clock.now();
    emit(*shared, ev);
  });
}

api::Result<std::string> SimRuntime::start_container(const ContainerConfig& config) {
  auto run_seconds =
      container_value(config.annotations, kRunSecondsAnnotation, config.container_name);
  if (!run_seconds) return api::fail(run_seconds.error());
  auto exit_code = container_value(config.annotations, kExitCodeAnnotation, config.container_name);
  if (!exit_code) return api::fail(exit_code.error());
  if (*run_seconds && **run_seconds < 0)
    return api::fail(api::bad_request(std::string("annotation ") + kRunSecondsAnnotation +
                                      ": a container cannot run for a negative time"));
  auto runs = *run_seconds;
  if (!runs && config.role == ContainerRole::init) runs = 0;

  std::lock_guard lock(shared_->mutex);
  std::string id = "sim://" + config.pod_uid + "-" + config.container_name + "-" +
                   std::to_string(shared_->next_id++);
  auto& record = shared_->containers[id];
  record.info.id = id;
  record.info.pod_uid = config.pod_uid;
  record.info.container_name = config.container_name;
  record.info.attempt = config.attempt;
  record.timers.push_back(schedule(clock_, shared_, options_.start_delay,
                                   {RuntimeEvent::Type::started, id, 0, "", {}}));
  if (runs) {
    auto code = static_cast<int32_t>(exit_code->value_or(0));
    record.timers.push_back(
        schedule(clock_, shared_, options_.start_delay + std::chrono::seconds(*runs),
                 {RuntimeEvent::Type::exited, id, code, code == 0 ? "Completed" : "Error", {}}));
  }
  return id;
}

void SimRuntime::stop_container(const std::string& container_id, Duration grace) {
  std::lock_guard lock(shared_->mutex);
  auto it = shared_->containers.find(container_id);
  if (it == shared_->containers.end() || it->second.info.state == ContainerInfo::State::exited)
    return;  // unknown, or already ended
  auto& timers = it->second.timers;
  for (auto t : timers) clock_.cancel(t);
  timers.clear();
  bool killed = options_.stop_delay > grace;
  Duration after = killed ? grace : options_.stop_delay;
  RuntimeEvent ev{RuntimeEvent::Type::exited,
                  container_id,
                  killed ? 137 : 0,
                  killed ? "Error" : "Completed",
                  {}};
  if (after <= Duration::zero()) {
    ev.at = clock_.now();
    return emit(*shared_, ev);
  }
  // Kept so that forget() or the destructor (or a second stop, which starts over) cancels it.
  timers.push_back(schedule(clock_, shared_, after, ev));
}

void SimRuntime::forget(const std::string& container_id) {
  std::lock_guard lock(shared_->mutex);
  auto it = shared_->containers.find(container_id);
  if (it == shared_->containers.end()) return;
  for (auto t : it->second.timers) clock_.cancel(t);
  shared_->containers.erase(it);
}

std::vector<ContainerInfo> SimRuntime::list_containers() const {
  std::lock_guard lock(shared_->mutex);
  std::vector<ContainerInfo> out;
  out.reserve(shared_->containers.size());
  for (const auto& [id, record] : shared_->containers) out.push_back(record.info);
  return out;
}

RuntimeFactory sim_runtime_factory(SimRuntimeOptions options) {
  return [options](Clock& clock, RuntimeEventSink sink) -> std::unique_ptr<ContainerRuntime> {
    return std::make_unique<SimRuntime>(clock, std::move(sink), options);
  };
}

RuntimeFactory shared_sim_runtime_factory(std::shared_ptr<SimRuntime> runtime) {
  return [runtime](Clock&, RuntimeEventSink sink) -> std::unique_ptr<ContainerRuntime> {
    runtime->attach(std::move(sink));
    return std::make_unique<ContainerRuntimeWrapper>(runtime);
  };
}

}  // namespace kactor::kubelet
