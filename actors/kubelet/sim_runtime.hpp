// The simulated container runtime: no processes, only timers on the injected Clock.
// A container is created for `start_delay`, then runs until stopped, or, when the pod's
// annotations say so (sim_annotations.hpp), exits on its own:
//   kactor.io/run-seconds: "5"        every container runs 5 s, then exits
//   kactor.io/run-seconds: "fetch=2"  container "fetch" runs 2 s; the others until stopped
//   kactor.io/exit-code:   "1"        the code they exit with (default 0)
// Its image is "pulled" first: one the ImageCatalog does not hold is refused (ErrImagePull).
// A regular init container without a run-seconds entry completes (exit 0) as soon as it
// started, as an init script that has little to do. Probes: SimProber (sim_prober.hpp).
// Logs: a line when a container starts, when it is asked to stop and when it exits, and the
// lines kactor.io/log asks for ("every 5s: GET /healthz 200"), each timed by the clock.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "actors/kubelet/container_runtime.hpp"
#include "actors/kubelet/image_catalog.hpp"
#include "actors/kubelet/sim_annotations.hpp"
#include "actors/kubelet/sim_prober.hpp"

namespace kactor::kubelet {

struct SimRuntimeOptions {
  /// Image pull + container start.
  Duration start_delay = std::chrono::milliseconds(100);
  /// How long a container takes to stop after being asked (it exits with 0 "Completed");
  /// if longer than the grace period it is killed at the grace period (137 "Error").
  Duration stop_delay = Duration::zero();
  /// What each container instance's log keeps.
  LogLimits log_limits;
  /// The images that can be pulled: a container of a missing one is refused with reason
  /// ErrImagePull (image_catalog.hpp). Shared: a copy per runtime was ~7 KB per simulated
  /// node. Null means the default.
  std::shared_ptr<const ImageCatalog> images = ImageCatalog::shared_default();
};

class SimRuntime final : public ContainerRuntime {
 public:
  SimRuntime(Clock& clock, RuntimeEventSink sink, SimRuntimeOptions options = {});
  ~SimRuntime() override;

  api::Result<std::string> start_container(const ContainerConfig& config) override;
  void stop_container(const std::string& container_id, Duration grace) override;
  void forget(const std::string& container_id) override;
  std::vector<ContainerInfo> list_containers() const override;
  api::Result<LogRead> read_log(const LogQuery& query) const override;
  void follow_log(const std::string& container_id, bool follow) override;
  void forget_logs(const std::string& pod_uid) override;
  Prober& prober() override { return prober_; }
  /// Every image a container was started from (a successful "pull"), with its size.
  std::vector<api::ContainerImage> list_images() const override;
  /// The size of an image a container was started from (under any name of it), else nullopt.
  std::optional<int64_t> image_size(const std::string& image) const override;

  /// Sends the events from now on to `sink` (a kubelet restarted on the same machine); the
  /// containers and their timers carry on.
  void attach(RuntimeEventSink sink);

 private:
  struct Record {
    ContainerInfo info;
    std::string image;
    std::vector<Clock::TimerId> timers;  // pending: start, exit
    /// Few containers write periodic lines: a pointer, not ~48 bytes in every record.
    std::unique_ptr<const PeriodicLog> periodic;
    std::optional<Clock::TimerId> periodic_timer;
    uint64_t periodic_written = 0;
    int followers = 0;  // follow_log
  };
  /// A container's log instances: the newest and the one before (only after a restart, so
  /// behind a pointer).
  struct Logs {
    struct Instance {
      std::string container_id;
      ContainerLog log;
    };
    std::optional<Instance> current;
    std::unique_ptr<Instance> previous;
  };
  /// Logs are kept by (pod uid, container name), in one map: a map per pod cost another
  /// node and a copy of the uid for every pod.
  using LogKey = std::pair<std::string, std::string>;
  struct LogKeyLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::pair<std::string_view, std::string_view>(a.first, a.second) <
             std::pair<std::string_view, std::string_view>(b.first, b.second);
    }
  };
  using LogView = std::pair<std::string_view, std::string_view>;
  /// Shared with timer callbacks, which may outlive the runtime (a real clock's thread).
  struct Shared {
    mutable std::mutex mutex;
    RuntimeEventSink sink;
    std::unordered_map<std::string, Record> containers;
    /// (pod uid, container name) -> its logs; kept after forget(), until forget_logs().
    std::map<LogKey, Logs, LogKeyLess> logs;
    uint64_t next_id = 1;
    /// Images pulled so far (normalized reference -> as first written), never removed:
    /// the simulated node has no image garbage collection.
    std::map<std::string, std::string> images;
  };

  /// Schedules `ev` at `after`: the record is updated and the sink told, unless the
  /// container was stopped or forgotten before.
  static Clock::TimerId schedule(Clock& clock, const std::shared_ptr<Shared>& shared,
                                 Duration after, RuntimeEvent ev);
  /// Applies `ev` to its record, logs it and tells the sink (mutex held); a start begins the
  /// periodic lines.
  static void emit(Clock& clock, const std::shared_ptr<Shared>& shared, const RuntimeEvent& ev);
  /// Appends a line to the container's newest log and announces it to followers (mutex held).
  static void write_line(Shared& shared, const Record& record, TimePoint at, std::string_view text);
  /// Writes the container's next periodic line `after` from now, and so on (mutex held).
  static void schedule_periodic(Clock& clock, const std::shared_ptr<Shared>& shared,
                                const std::string& id, Duration after);

  Clock& clock_;
  std::shared_ptr<Shared> shared_;
  SimRuntimeOptions options_;
  SimProber prober_;
};

/// A RuntimeFactory making a new SimRuntime with `options` for each kubelet: its
/// containers end with it, as on a machine that rebooted.
RuntimeFactory sim_runtime_factory(SimRuntimeOptions options = {});

/// A RuntimeFactory attaching each kubelet to `runtime`, which outlives them: a restarted
/// kubelet finds the containers its predecessor started (list_containers) and adopts them.
RuntimeFactory shared_sim_runtime_factory(std::shared_ptr<SimRuntime> runtime);

}  // namespace kactor::kubelet
