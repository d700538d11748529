// A partition between a node process and the API server, played by a relay that goes silent
// (tcp_relay.hpp): BASP heartbeats make both ends drop the half-open connection within the
// connection timeout (the API server cancels the watches of the vanished peer), and once the
// network heals the stand-in reconnects, the kubelet's informer relists, and the kubelet stops
// the pods deleted or bound elsewhere meanwhile and starts those bound to it.
#include <caf/io/all.hpp>

#include <cstdio>
#include <optional>
#include <set>
#include <string>

#include "actors/apiserver/messages.hpp"
#include "actors/client/blocking_client.hpp"
#include "actors/client/informer.hpp"
#include "actors/kubelet/kubelet.hpp"
#include "actors/kubelet/messages.hpp"
#include "actors/remote/batch_unpacker.hpp"
#include "actors/remote/messages.hpp"
#include "actors/remote/remote_apiserver.hpp"
#include "runtime/real_clock.hpp"
#include "telemetry/registry.hpp"
#include "tests/actors/remote/tcp_relay.hpp"
#include "tests/support/api_fixture.hpp"
#include "tests/support/seed.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace std::chrono_literals;

namespace {

/// Short heartbeats, so that the test notices a partition in well under a second.
constexpr runtime::Heartbeats kHeartbeats{std::chrono::milliseconds(100),
                                          std::chrono::milliseconds(500)};

/// Re-checks `holds()` every 20 ms until it holds or `deadline` passes; whether it held.
template <class Pred>
bool eventually(caf::actor_system& system, Pred holds, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  caf::scoped_actor self{system};
  while (!holds()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    self->receive(caf::after(std::chrono::milliseconds(20)) >> [] {});
  }
  return true;
}

/// The API server's count of open Pod watches (apiserver_registered_watchers).
int64_t pod_watches() {
  return telemetry::Registry::global()
      .gauge("apiserver_registered_watchers",
             "Number of currently registered watchers for a given resources",
             {{"group", ""}, {"version", "v1"}, {"kind", "Pod"}})
      .value();
}

bool connected(caf::actor_system& system, const caf::actor& remote) {
  caf::scoped_actor self{system};
  bool up = false;
  self->request(remote, std::chrono::seconds(5), remote::remote_state_atom::value)
      .receive([&](bool b) { up = b; }, [](caf::error&) {});
  return up;
}

/// Names of the pods the kubelet runs (every container Running), "" when it did not answer.
std::set<std::string> running(caf::actor_system& system, const caf::actor& kubelet) {
  caf::scoped_actor self{system};
  std::set<std::string> out;
  self->request(kubelet, std::chrono::seconds(5), kubelet::kubelet_state_atom::value)
      .receive(
          [&](kubelet::KubeletState& s) {
            for (const auto& p : s.pods) {
              bool all = !p.containers.empty() && !p.terminating;
              for (const auto& c : p.containers) all = all && c.state == "Running";
              if (all) out.insert(p.key);
            }
          },
          [](caf::error&) {});
  return out;
}

api::Pod bound_pod(const std::string& name, const std::string& node) {
  auto pod = make_pod("default", name);
  pod.spec.node_name = node;
  pod.spec.host_network = true;  // no pod CIDR needed: there is no node IPAM controller here
  return pod;
}

}  // namespace

TEST_CASE("heartbeats drop a silent connection, and after healing the kubelet stops the pods deleted meanwhile",
          "[remote][partition]") {
  const auto seed = test_seed("remote partition");
  // The API server's side: its own actor system, with heartbeats, published on loopback.
  runtime::ActorSystem server_system{2, kHeartbeats};
  runtime::RealClock server_clock;
  runtime::ControlPlaneOptions cp;
  cp.clock = &server_clock;
  cp.seed = seed;
  // A ring of one event: a watch resumed after the cut cannot be replayed from memory, and
  // with the event log compacted below it is answered 410 Expired, so the informer relists.
  cp.apiserver.watch.ring_capacity = 1;
  auto plane = runtime::ControlPlane::start(server_system.get(), cp);
  REQUIRE(plane.has_value());
  auto door = remote::spawn_batch_unpacker(server_system.get(), (*plane)->apiserver());
  auto published = server_system.get().middleman().publish(door, 0, "127.0.0.1", true);
  REQUIRE(static_cast<bool>(published));
  client::BlockingClient server(server_system.get(), (*plane)->apiserver(), 10s);
  TcpRelay cable(*published);

  // The node process's side: the stand-in through the relay, informers, one kubelet.
  runtime::ActorSystem system{2, kHeartbeats};
  runtime::RealClock clock;
  remote::RemoteApiServerOptions options;
  options.port = cable.port();
  options.initial_backoff = 50ms;
  options.max_backoff = 200ms;
  options.seed = seed;
  auto handle = remote::spawn_remote_apiserver(system.get(), clock, options);
  REQUIRE(remote::wait_connected(system.get(), handle, 10s));
  client::InformerFactory informers(system.get(), handle, clock);
  actors::Context ctx;
  ctx.system = &system.get();
  ctx.apiserver = &handle;
  ctx.clock = &clock;
  ctx.informers = &informers;
  ctx.seed = seed;

  const int64_t watches_before = pod_watches();
  kubelet::KubeletOptions ko;
  ko.node_name = "n1";
  ko.retry_delay = 100ms;
  auto kubelet = kubelet::spawn_kubelet(ctx, ko);
  REQUIRE(server.create(bound_pod("keep", "n1")).has_value());
  REQUIRE(server.create(bound_pod("gone", "n1")).has_value());
  REQUIRE(server.create(bound_pod("moved", "n1")).has_value());
  REQUIRE(eventually(
      system.get(),
      [&] {
        return running(system.get(), kubelet) ==
               std::set<std::string>{"default/keep", "default/gone", "default/moved"};
      },
      20s));
  // The kubelet's Pod informer watches through the connection.
  REQUIRE(eventually(system.get(), [&] { return pod_watches() > watches_before; }, 5s));

  // The cable is cut: nothing flows, nothing is closed. Without heartbeats both sides would
  // wait for TCP to give up (minutes); with them each drops the connection after 500 ms of
  // silence, and the API server cancels the watches the vanished peer held.
  const auto cut_at = std::chrono::steady_clock::now();
  cable.cut();
  REQUIRE(eventually(system.get(), [&] { return !connected(system.get(), handle); }, 5s));
  const auto noticed = std::chrono::steady_clock::now() - cut_at;
  REQUIRE(eventually(system.get(), [&] { return pod_watches() == watches_before; }, 5s));
  std::fprintf(stderr, "partition noticed by the node side after %lld ms\n",
               static_cast<long long>(
                   std::chrono::duration_cast<std::chrono::milliseconds>(noticed).count()));
  // Within the connection timeout plus a heartbeat interval or two (checks run per heartbeat).
  CHECK(noticed < 2s);

  // While it is cut off: "moved" is force-deleted (its node is unreachable) and created on
  // another node; "gone" is force-deleted and created again on n1 (same name, new uid); "new"
  // is bound to n1. The event log is compacted, so the kubelet's informer cannot resume its
  // watch (410 Expired) and relists: the relist alone must tell the kubelet what changed.
  auto force = [] {
    client::DeleteOptions o;
    o.grace_period_seconds = 0;
    return o;
  }();
  const auto old_gone_uid = (*server.get<api::Pod>("default", "gone"))->metadata.uid;
  REQUIRE(server.remove(api::Pod::static_type(), "default", "moved", force).has_value());
  REQUIRE(server.create(bound_pod("moved", "n2")).has_value());
  REQUIRE(server.remove(api::Pod::static_type(), "default", "gone", force).has_value());
  auto recreated = server.create(bound_pod("gone", "n1"));
  REQUIRE(recreated.has_value());
  const auto new_gone_uid = (*recreated)->metadata.uid;
  REQUIRE(new_gone_uid != old_gone_uid);
  REQUIRE(server.create(bound_pod("new", "n1")).has_value());
  {
    caf::scoped_actor self{server_system.get()};
    bool compacted = false;
    self->request((*plane)->apiserver(), 10s, apiserver::compact_atom::value, int64_t{0})
        .receive([&](bool done) { compacted = done; }, [](caf::error&) {});
    REQUIRE(compacted);
  }
  CHECK(running(system.get(), kubelet) ==
        std::set<std::string>{"default/keep", "default/gone", "default/moved"});

  // Healed: the stand-in reconnects, the informer relists, the kubelet stops "moved" and the
  // old "gone" (their uids are no longer bound here) and starts the new "gone" and "new".
  cable.heal();
  REQUIRE(eventually(system.get(), [&] { return connected(system.get(), handle); }, 10s));
  REQUIRE(eventually(
      system.get(),
      [&] {
        return running(system.get(), kubelet) ==
               std::set<std::string>{"default/keep", "default/gone", "default/new"};
      },
      20s));
  // One worker per pod: the old "gone" does not run beside the new one.
  caf::scoped_actor self{system.get()};
  std::optional<kubelet::KubeletState> state;
  self->request(kubelet, 5s, kubelet::kubelet_state_atom::value)
      .receive([&](kubelet::KubeletState& s) { state = std::move(s); }, [](caf::error&) {});
  REQUIRE(state);
  CHECK(state->pods.size() == 3);
  CHECK(state->running_containers == 3);
  for (const auto& p : state->pods)
    if (p.key == "default/gone") CHECK(p.uid == new_gone_uid);

  caf::anon_send_exit(kubelet, caf::exit_reason::user_shutdown);
  informers.shutdown();
  caf::anon_send_exit(handle, caf::exit_reason::user_shutdown);
}
