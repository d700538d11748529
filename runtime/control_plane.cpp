#include "runtime/control_plane.hpp"

#include <caf/all.hpp>

#include "runtime/real_clock.hpp"
#include "store/store.hpp"

namespace kactor::runtime {

api::Result<std::unique_ptr<ControlPlane>> ControlPlane::start(caf::actor_system& system,
                                                               ControlPlaneOptions options) {
  std::unique_ptr<ControlPlane> cp(new ControlPlane());
  cp->system_ = &system;
  if (options.clock) {
    cp->clock_ = options.clock;
  } else {
    cp->owned_clock_ = std::make_unique<RealClock>();
    cp->clock_ = cp->owned_clock_.get();
  }
  store::Options so;
  if (options.data_dir.empty()) {
    static std::atomic<uint64_t> next_memory_db{0};
    so.path = "/kactor-memory-" + std::to_string(next_memory_db++);
    so.durability = store::Durability::memory;
    // The in-memory store's event log is RAM: bound it (apiserver.hpp, compaction_max_events).
    if (options.apiserver.compaction_max_events == 0)
      options.apiserver.compaction_max_events = options.apiserver.compaction_keep_events;
  } else {
    so.path = options.data_dir;
    so.durability = options.durability;
  }
  auto st = store::Store::open(so);
  if (!st) return api::fail(api::internal_error("opening the store: " + st.error().message));
  cp->store_ = std::move(*st);
  // Each incarnation draws from its own stream: a restarted API server must not hand out the
  // generated names and UIDs its predecessor did.
  auto incarnation = std::make_shared<uint64_t>(0);
  auto start = [&system, store = cp->store_, clock = cp->clock_, seed = options.seed,
                api_options = options.apiserver, incarnation] {
    auto random = Random(seed).fork("apiserver");
    if (*incarnation > 0) random = random.fork("restart-" + std::to_string(*incarnation));
    ++*incarnation;
    return apiserver::spawn_apiserver(system, store, *clock, std::move(random), api_options);
  };
  cp->apiserver_ = std::make_unique<caf::actor>(
      actors::supervise(system, *cp->clock_, "apiserver", std::move(start), options.supervision));
  if (!*cp->apiserver_) return api::fail(api::internal_error("the API server did not start"));
  return cp;
}

ControlPlane::~ControlPlane() { stop(); }

const caf::actor& ControlPlane::apiserver() const { return *apiserver_; }

void ControlPlane::stop() {
  if (!apiserver_ || !*apiserver_) return;
  caf::scoped_actor self{*system_};
  self->monitor(*apiserver_);
  self->send_exit(*apiserver_, caf::exit_reason::user_shutdown);
  self->receive([](caf::down_msg&) {});
  *apiserver_ = caf::actor{};
}

}  // namespace kactor::runtime
