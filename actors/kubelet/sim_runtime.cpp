#include "actors/kubelet/sim_runtime.hpp"

#include "actors/kubelet/container_runtime_wrapper.hpp"

#include <utility>

#include <fmt/format.h>

namespace kactor::kubelet {

SimRuntime::SimRuntime(Clock& clock, RuntimeEventSink sink, SimRuntimeOptions options)
    : clock_(clock), shared_(std::make_shared<Shared>()), options_(std::move(options)) {
  if (!options_.images) options_.images = ImageCatalog::shared_default();
  shared_->sink = std::move(sink);
}

SimRuntime::~SimRuntime() {
  std::lock_guard lock(shared_->mutex);
  for (auto& [id, record] : shared_->containers) {
    for (auto t : record.timers) clock_.cancel(t);
    if (record.periodic_timer) clock_.cancel(*record.periodic_timer);
  }
  shared_->containers.clear();
}

void SimRuntime::attach(RuntimeEventSink sink) {
  std::lock_guard lock(shared_->mutex);
  shared_->sink = std::move(sink);
}

void SimRuntime::write_line(Shared& shared, const Record& record, TimePoint at,
                            std::string_view text) {
  auto it = shared.logs.find(LogView(record.info.pod_uid, record.info.container_name));
  if (it == shared.logs.end()) return;  // forget_logs() came first
  auto& logs = it->second;
  if (!logs.current || logs.current->container_id != record.info.id) return;
  logs.current->log.append(at, text);
  if (record.followers > 0 && shared.sink)
    shared.sink(RuntimeEvent{RuntimeEvent::Type::logged, record.info.id, 0, "", at});
}

void SimRuntime::schedule_periodic(Clock& clock, const std::shared_ptr<Shared>& shared,
                                   const std::string& id, Duration after) {
  auto& record = shared->containers.at(id);
  record.periodic_timer = clock.schedule_after(after, [shared, id, &clock] {
    std::lock_guard lock(shared->mutex);
    auto it = shared->containers.find(id);
    if (it == shared->containers.end() || it->second.info.state != ContainerInfo::State::running)
      return;  // stopped or forgotten meanwhile
    auto& r = it->second;
    write_line(*shared, r, clock.now(), periodic_log_line(r.periodic->text, ++r.periodic_written));
    schedule_periodic(clock, shared, id, r.periodic->every);
  });
}

void SimRuntime::emit(Clock& clock, const std::shared_ptr<Shared>& shared, const RuntimeEvent& ev) {
  auto it = shared->containers.find(ev.container_id);
  if (it == shared->containers.end()) return;
  auto& record = it->second;
  auto& info = record.info;
  if (ev.type == RuntimeEvent::Type::started) {
    info.state = ContainerInfo::State::running;
    info.started_at = ev.at;
    write_line(*shared, record, ev.at,
               fmt::format("started container {} (image {}, attempt {})", info.container_name,
                           record.image, info.attempt));
    if (record.periodic) schedule_periodic(clock, shared, ev.container_id, record.periodic->every);
  } else {
    info.state = ContainerInfo::State::exited;
    info.finished_at = ev.at;
    info.exit_code = ev.exit_code;
    info.reason = ev.reason;
    record.timers.clear();
    write_line(*shared, record, ev.at,
               ev.reason.empty()
                   ? fmt::format("exited with code {}", ev.exit_code)
                   : fmt::format("exited with code {} ({})", ev.exit_code, ev.reason));
  }
  if (shared->sink) shared->sink(ev);
}

Clock::TimerId SimRuntime::schedule(Clock& clock, const std::shared_ptr<Shared>& shared,
                                    Duration after, RuntimeEvent ev) {
  return clock.schedule_after(after, [shared, ev, &clock]() mutable {
    std::lock_guard lock(shared->mutex);
    ev.at = clock.now();
    emit(clock, shared, ev);
  });
}

std::vector<api::ContainerImage> SimRuntime::list_images() const {
  std::lock_guard lock(shared_->mutex);
  std::vector<api::ContainerImage> out;
  for (auto& [full, written] : shared_->images)
    out.push_back({reported_image_names(written), options_.images->size_of(written)});
  return out;
}

std::optional<int64_t> SimRuntime::image_size(const std::string& image) const {
  std::lock_guard lock(shared_->mutex);
  auto it = shared_->images.find(normalize_image(image));
  if (it == shared_->images.end()) return std::nullopt;
  return options_.images->size_of(it->second);
}

api::Result<std::string> SimRuntime::start_container(const ContainerConfig& config) {
  if (auto missing = options_.images->pull_error(config.image))
    return api::fail(api::Status{404, kErrImagePull, *missing, {}});
  auto run_seconds =
      container_value(config.annotations, kRunSecondsAnnotation, config.container_name);
  if (!run_seconds) return api::fail(run_seconds.error());
  auto exit_code = container_value(config.annotations, kExitCodeAnnotation, config.container_name);
  if (!exit_code) return api::fail(exit_code.error());
  if (*run_seconds && **run_seconds < 0)
    return api::fail(api::bad_request(fmt::format(
        "annotation {}: a container cannot run for a negative time", kRunSecondsAnnotation)));
  auto runs = *run_seconds;
  if (!runs && config.role == ContainerRole::init) runs = 0;
  auto periodic = periodic_log(config.annotations, config.container_name);
  if (!periodic) return api::fail(periodic.error());

  std::lock_guard lock(shared_->mutex);
  shared_->images.try_emplace(normalize_image(config.image), config.image);
  std::string id =
      fmt::format("sim://{}-{}-{}", config.pod_uid, config.container_name, shared_->next_id++);
  auto& record = shared_->containers[id];
  record.info.id = id;
  record.info.pod_uid = config.pod_uid;
  record.info.container_name = config.container_name;
  record.info.attempt = config.attempt;
  record.image = config.image;
  if (*periodic) record.periodic = std::make_unique<const PeriodicLog>(std::move(**periodic));
  // A new instance: the one before becomes the previous log, as the kubelet keeps it.
  auto& logs = shared_->logs[LogKey(config.pod_uid, config.container_name)];
  if (logs.current) logs.previous = std::make_unique<Logs::Instance>(std::move(*logs.current));
  logs.current = Logs::Instance{id, ContainerLog(options_.log_limits)};
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
  auto& record = it->second;
  auto& timers = record.timers;
  for (auto t : timers) clock_.cancel(t);
  timers.clear();
  if (record.periodic_timer) clock_.cancel(*std::exchange(record.periodic_timer, std::nullopt));
  write_line(*shared_, record, clock_.now(),
             fmt::format("stopping: asked to stop within {}s",
                         std::chrono::duration_cast<std::chrono::seconds>(grace).count()));
  bool killed = options_.stop_delay > grace;
  Duration after = killed ? grace : options_.stop_delay;
  RuntimeEvent ev{RuntimeEvent::Type::exited,
                  container_id,
                  killed ? 137 : 0,
                  killed ? "Error" : "Completed",
                  {}};
  if (after <= Duration::zero()) {
    ev.at = clock_.now();
    return emit(clock_, shared_, ev);
  }
  // Kept so that forget() or the destructor (or a second stop, which starts over) cancels it.
  timers.push_back(schedule(clock_, shared_, after, ev));
}

void SimRuntime::forget(const std::string& container_id) {
  std::lock_guard lock(shared_->mutex);
  auto it = shared_->containers.find(container_id);
  if (it == shared_->containers.end()) return;
  for (auto t : it->second.timers) clock_.cancel(t);
  if (it->second.periodic_timer) clock_.cancel(*it->second.periodic_timer);
  shared_->containers.erase(it);
}

api::Result<LogRead> SimRuntime::read_log(const LogQuery& query) const {
  std::lock_guard lock(shared_->mutex);
  const Logs::Instance* instance = nullptr;
  if (auto c = shared_->logs.find(LogView(query.pod_uid, query.container_name));
      c != shared_->logs.end()) {
    const Logs::Instance* current = c->second.current ? &*c->second.current : nullptr;
    const Logs::Instance* previous = c->second.previous.get();
    for (const auto* i : {current, previous})
      if (i && (query.container_id.empty() || i->container_id == query.container_id)) {
        instance = i;
        break;
      }
  }
  if (!instance)
    return api::fail(
        api::Status{404,
                    "NotFound",
                    fmt::format("no log of container {} ({}) of pod {}", query.container_name,
                                query.container_id, query.pod_uid),
                    {}});
  LogRead out;
  out.container_id = instance->container_id;
  auto record = shared_->containers.find(instance->container_id);
  out.running = record != shared_->containers.end() &&
                record->second.info.state != ContainerInfo::State::exited;
  out.lines = instance->log.read(query.selection);
  out.last_seq = instance->log.last_seq();
  return out;
}

void SimRuntime::follow_log(const std::string& container_id, bool follow) {
  std::lock_guard lock(shared_->mutex);
  auto it = shared_->containers.find(container_id);
  if (it == shared_->containers.end()) return;
  auto& n = it->second.followers;
  n = std::max(0, n + (follow ? 1 : -1));
}

void SimRuntime::forget_logs(const std::string& pod_uid) {
  std::lock_guard lock(shared_->mutex);
  auto& logs = shared_->logs;
  auto it = logs.lower_bound(LogView(pod_uid, ""));  // the pod's first container
  while (it != logs.end() && it->first.first == pod_uid) it = logs.erase(it);
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
