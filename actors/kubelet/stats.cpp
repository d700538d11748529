#include "actors/kubelet/stats.hpp"

#include <algorithm>

namespace kactor::kubelet {
namespace {

uint64_t bytes_of(const api::ResourceList& list, const char* name) {
  auto it = list.find(name);
  return it == list.end() || it->second.sign() <= 0 ? 0 : static_cast<uint64_t>(it->second.value());
}

/// Nanocores used on average over `window` by `core_nano_seconds` of CPU time.
uint64_t rate(uint64_t core_nano_seconds, Duration window) {
  if (window <= Duration::zero()) return 0;
  return static_cast<uint64_t>(static_cast<__int128>(core_nano_seconds) * 1'000'000'000 /
                               window.count());
}

/// The core-nanoseconds `nano_cores` use over `window`.
uint64_t mul_window(uint64_t nano_cores, Duration window) {
  if (window <= Duration::zero() || nano_cores == 0) return 0;
  return static_cast<uint64_t>(static_cast<__int128>(nano_cores) *
                               std::chrono::duration_cast<std::chrono::nanoseconds>(window).count() /
                               1'000'000'000);
}

/// What serving `share` adds to a container that uses `modelled` nanocores by itself: all of
/// it, or what its cpu limit leaves (the cgroup throttles the rest).
uint64_t served_rate(const ServedShare& share, const api::Container& c, int64_t modelled) {
  auto limit = c.resources.limits.find("cpu");
  if (limit == c.resources.limits.end()) return share.nano_cores;
  const int64_t cap = limit->second.milli_value() * 1'000'000;
  const int64_t room = std::max<int64_t>(cap - std::max<int64_t>(modelled, 0), 0);
  return std::min<uint64_t>(share.nano_cores, static_cast<uint64_t>(room));
}

}  // namespace

StatsCollector::StatsCollector(UsageModelOptions options, const api::ResourceList& capacity,
                               TimePoint started)
    : options_(options), started_(started) {
  node_.time = started;
  node_.memory_capacity_bytes = bytes_of(capacity, "memory");
  node_.disk_capacity_bytes = bytes_of(capacity, "ephemeral-storage");
}

const PodUsage* StatsCollector::pod(const std::string& uid) const {
  auto it = pods_.find(uid);
  return it == pods_.end() ? nullptr : &it->second;
}

void StatsCollector::model(PodUsage& usage, const PodWorker& w,
                           std::vector<UsageProblem>& problems) {
  const auto& meta = w.pod->metadata;
  if (usage.modelled && usage.modelled_version == meta.resource_version) return;
  bool same = usage.modelled && usage.modelled_annotations == meta.annotations &&
              usage.models.size() == w.containers.size();
  usage.modelled = true;
  usage.modelled_version = meta.resource_version;
  if (same) return;
  usage.modelled_annotations = meta.annotations;
  std::vector<std::string> found;
  usage.models.clear();
  for (const auto& c : w.containers)
    usage.models.push_back(
        container_usage_model(spec_of(*w.pod, c), w.pod->metadata.annotations, options_, found));
  usage.containers.resize(w.containers.size());
  for (auto& message : found) {
    // An annotation that applies to every container is one problem, reported once.
    if (std::find(usage.reported.begin(), usage.reported.end(), message) != usage.reported.end())
      continue;
    usage.reported.push_back(message);
    problems.push_back({w.uid, std::move(message)});
  }
}

std::vector<UsageProblem> StatsCollector::sample(const std::map<std::string, PodWorker>& workers,
                                                 TimePoint now, const ServedDemand* served) {
  std::vector<UsageProblem> problems;
  const TimePoint previous = node_.time;
  // Pods gone since the last sample are forgotten; both maps are ordered by uid.
  std::erase_if(pods_, [&](const auto& entry) { return !workers.contains(entry.first); });
  NodeSample node = node_;
  node.time = now;
  node.window = now - previous;
  node.memory_bytes = node.disk_bytes = 0;
  uint64_t node_cpu_delta = 0;
  for (const auto& [uid, w] : workers) {
    if (!w.pod) continue;
    auto& usage = pods_[uid];
    model(usage, w, problems);
    usage.cpu_nano_cores = usage.cpu_core_nano_seconds = usage.memory_bytes = usage.disk_bytes = 0;
    // The container serving requests, and what they ask of it.
    const ServedShare* share = nullptr;
    std::string serving;
    if (served && !served->empty()) {
      auto it = served->find(w.pod->metadata.namespace_ + "/" + w.pod->metadata.name);
      if (it != served->end()) {
        share = &it->second;
        int idx = serving_container(w.pod->spec, share->ports);
        if (idx >= 0) serving = w.pod->spec.containers[static_cast<size_t>(idx)].name;
      }
    }
    for (size_t i = 0; i < w.containers.size(); ++i) {
      const auto& c = w.containers[i];
      auto& s = usage.containers[i];
      const auto& m = usage.models[i];
      // A container that started after the sample's time is not in it yet.
      s.running = c.phase == ContainerRec::Phase::running && c.started_at <= now;
      if (!s.running) {
        s = ContainerSample{};
        continue;
      }
      if (s.started_at != c.started_at) s.served_core_nano_seconds = 0;  // a new run
      s.started_at = c.started_at;
      const auto age = now - c.started_at;
      // The window: since the previous sample, or since the container started.
      const auto from = std::max(previous, c.started_at) - c.started_at;
      uint64_t serving_now = 0;
      if (share)
        if (const auto& spec = spec_of(*w.pod, c); spec.name == serving)
          serving_now = served_rate(*share, spec, m.cpu.at(age));
      const uint64_t served_used = mul_window(serving_now, age - from);
      s.served_core_nano_seconds += served_used;
      s.cpu_core_nano_seconds = m.cpu.cumulative(age) + s.served_core_nano_seconds;
      const auto used = m.cpu.cumulative(age) - m.cpu.cumulative(from) + served_used;
      s.cpu_nano_cores = age > from ? rate(used, age - from)
                                    : static_cast<uint64_t>(std::max<int64_t>(m.cpu.at(age), 0)) + serving_now;
      s.memory_bytes = static_cast<uint64_t>(m.memory.at(age));
      s.disk_bytes = static_cast<uint64_t>(m.disk.at(age));
      node_cpu_delta += used;
      usage.cpu_nano_cores += s.cpu_nano_cores;
      usage.cpu_core_nano_seconds += s.cpu_core_nano_seconds;
      usage.memory_bytes += s.memory_bytes;
      usage.disk_bytes += s.disk_bytes;
    }
    node.memory_bytes += usage.memory_bytes;
    node.disk_bytes += usage.disk_bytes;
  }
  node.cpu_core_nano_seconds += node_cpu_delta;
  node.cpu_nano_cores = rate(node_cpu_delta, node.window);
  node_ = node;
  return problems;
}

Summary StatsCollector::summary(const std::string& node_name,
                                const std::map<std::string, PodWorker>& workers) const {
  Summary out;
  const auto t = node_.time;
  auto& n = out.node;
  n.node_name = node_name;
  n.start_time = started_;
  n.cpu = CpuStats{t, node_.cpu_nano_cores, node_.cpu_core_nano_seconds};
  n.memory.time = t;
  n.memory.available_bytes = node_.memory_available_bytes();
  n.memory.usage_bytes = n.memory.working_set_bytes = n.memory.rss_bytes = node_.memory_bytes;
  FsStats fs;
  fs.time = t;
  fs.capacity_bytes = node_.disk_capacity_bytes;
  fs.used_bytes = node_.disk_bytes;
  fs.available_bytes = node_.disk_available_bytes();
  fs.inodes = node_.inodes();
  fs.inodes_used = node_.inodes_used();
  fs.inodes_free = node_.inodes_free();
  n.fs = fs;
  // No image filesystem of its own: images live on nodefs (image_fs stays unset).
  for (const auto& [uid, usage] : pods_) {
    auto w = workers.find(uid);
    if (w == workers.end() || !usage.modelled || !w->second.pod) continue;
    PodStats p;
    const auto& pod = *w->second.pod;
    p.pod_ref = PodReference{pod.metadata.name, pod.metadata.namespace_, uid};
    p.start_time = w->second.start_time;
    for (size_t i = 0; i < usage.containers.size() && i < w->second.containers.size(); ++i) {
      const auto& s = usage.containers[i];
      if (!s.running) continue;
      ContainerStats c;
      c.name = w->second.containers[i].name;
      c.start_time = s.started_at;
      c.cpu = CpuStats{t, s.cpu_nano_cores, s.cpu_core_nano_seconds};
      c.memory.time = t;
      c.memory.usage_bytes = c.memory.working_set_bytes = c.memory.rss_bytes = s.memory_bytes;
      const auto& limits = spec_of(pod, w->second.containers[i]).resources.limits;
      if (auto limit = bytes_of(limits, "memory"); limit > 0)
        c.memory.available_bytes = limit > s.memory_bytes ? limit - s.memory_bytes : 0;
      FsStats rootfs = fs;
      rootfs.used_bytes = s.disk_bytes;
      rootfs.inodes_used = (s.disk_bytes + kBytesPerInode - 1) / kBytesPerInode;
      c.rootfs = rootfs;
      p.containers.push_back(std::move(c));
    }
    if (p.containers.empty()) continue;
    p.cpu = CpuStats{t, usage.cpu_nano_cores, usage.cpu_core_nano_seconds};
    p.memory.time = t;
    p.memory.usage_bytes = p.memory.working_set_bytes = p.memory.rss_bytes = usage.memory_bytes;
    out.pods.push_back(std::move(p));
  }
  return out;
}

}  // namespace kactor::kubelet
