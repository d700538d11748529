#include "actors/kubelet/fault_injecting_runtime.hpp"

namespace kactor::kubelet {

std::unique_ptr<FaultInjectingRuntime> FaultInjectingRuntime::create(
    const RuntimeFactory& inner, Clock& clock, RuntimeEventSink sink,
    FaultInjectionOptions options) {
  auto shared = std::make_shared<Shared>();
  shared->clock = &clock;
  shared->sink = std::move(sink);
  shared->options = options;
  shared->crash_random = Random(options.seed).fork("crash");
  std::shared_ptr<ContainerRuntime> runtime =
      inner(clock, [shared](RuntimeEvent ev) { on_inner_event(shared, std::move(ev)); });
  shared->inner = runtime;
  return std::unique_ptr<FaultInjectingRuntime>(
      new FaultInjectingRuntime(std::move(runtime), std::move(shared)));
}

FaultInjectingRuntime::FaultInjectingRuntime(std::shared_ptr<ContainerRuntime> inner,
                                             std::shared_ptr<Shared> shared)
    : ContainerRuntimeWrapper(std::move(inner)),
      shared_(std::move(shared)),
      start_random_(Random(shared_->options.seed).fork("start")) {}

api::Result<std::string> FaultInjectingRuntime::start_container(const ContainerConfig& config) {
  auto one_in = shared_->options.start_failure_one_in;
  if (one_in > 0 && start_random_.uniform(one_in) == 0) {
    std::lock_guard lock(shared_->mutex);
    ++shared_->injected.start_failures;
    return api::fail(api::internal_error("injected fault: container " + config.container_name +
                                         " of pod " + config.pod_namespace + "/" + config.pod_name +
                                         " failed to start"));
  }
  return ContainerRuntimeWrapper::start_container(config);
}

void FaultInjectingRuntime::forget(const std::string& container_id) {
  {
    std::lock_guard lock(shared_->mutex);
    shared_->running.erase(container_id);
    shared_->crashing.erase(container_id);
  }
  ContainerRuntimeWrapper::forget(container_id);
}

InjectedFaults FaultInjectingRuntime::injected() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->injected;
}

void FaultInjectingRuntime::on_inner_event(const std::shared_ptr<Shared>& shared, RuntimeEvent ev) {
  std::lock_guard lock(shared->mutex);
  const auto& o = shared->options;
  if (ev.type == RuntimeEvent::Type::started) {
    shared->running.insert(ev.container_id);
    if (o.crash_one_in > 0 && shared->crash_random.uniform(o.crash_one_in) == 0) {
      auto window = static_cast<uint64_t>(std::max<Duration::rep>(o.crash_within.count(), 1));
      Duration after{static_cast<Duration::rep>(shared->crash_random.uniform(window))};
      std::weak_ptr<Shared> weak = shared;
      shared->clock->schedule_after(after, [weak, id = ev.container_id] { crash(weak, id); });
    }
  } else if (ev.type == RuntimeEvent::Type::exited) {
    shared->running.erase(ev.container_id);
    if (shared->crashing.erase(ev.container_id)) {
      ev.exit_code = 137;
      ev.reason = "Error";
      ++shared->injected.crashes;
    }
  }
  if (shared->sink) shared->sink(std::move(ev));
}

void FaultInjectingRuntime::crash(const std::weak_ptr<Shared>& weak, const std::string& id) {
  auto shared = weak.lock();
  if (!shared) return;
  std::shared_ptr<ContainerRuntime> inner;
  {
    std::lock_guard lock(shared->mutex);
    inner = shared->inner.lock();
    if (!inner || !shared->running.contains(id)) return;  // gone, or exited meanwhile
    shared->crashing.insert(id);
  }
  // Outside our lock: the inner runtime reports the exit through on_inner_event.
  inner->stop_container(id, Duration::zero());
}

RuntimeFactory fault_injecting_runtime_factory(RuntimeFactory inner,
                                               FaultInjectionOptions options) {
  return [inner = std::move(inner), options](
             Clock& clock, RuntimeEventSink sink) -> std::unique_ptr<ContainerRuntime> {
    return FaultInjectingRuntime::create(inner, clock, std::move(sink), options);
  };
}

}  // namespace kactor::kubelet
