// The leader elector over a real API server, under virtual time: acquiring a Lease, waiting
// while another candidate renews, taking over only after the record stayed unchanged for the
// lease duration, stepping down when renewals fail past the renew deadline, releasing on
// stop, and re-reading after a conflicting write.
#include "actors/leaderelection/leader_elector.hpp"

#include <atomic>

#include "actors/common/context.hpp"
#include "actors/leaderelection/messages.hpp"
#include "tests/support/api_fixture.hpp"
#include "tests/support/seed.hpp"

using namespace kactor;
using namespace kactor::testing;
using namespace kactor::leaderelection;
using namespace std::chrono_literals;

namespace {

constexpr const char* kLeaseName = "kube-scheduler";

using cut_atom = caf::atom_constant<caf::atom("t_cut")>;

/// Forwards everything to the API server, except that once cut it answers every request
/// itself with an error, as a partitioned connection would.
struct CutState {
  // Not an aggregate: CAF would construct an aggregate from the actor pointer (C++20
  // parenthesized aggregate initialization), and `cut` would start true.
  CutState() = default;
  bool cut = false;
};
using CutSelf = caf::stateful_actor<CutState>;

caf::behavior cuttable(CutSelf* self, caf::actor apiserver) {
  self->set_default_handler(
      [apiserver](caf::scheduled_actor* ptr, caf::message_view& msg) -> caf::result<caf::message> {
        static_cast<CutSelf*>(ptr)->delegate(apiserver, msg.move_content_to_message());
        return caf::delegated<caf::message>{};
      });
  return {
      [self](cut_atom) { self->state.cut = true; },
      [self, apiserver](apiserver::Request& req) -> caf::result<apiserver::Response> {
        if (!self->state.cut) {
          self->delegate(apiserver, std::move(req));
          return caf::delegated<apiserver::Response>{};
        }
        apiserver::Response r;
        r.error = api::timeout("the connection to the API server is cut");
        return r;
      },
  };
}

/// What an elector says of itself (leader_status_atom).
struct ElectorStatus {
  bool leading = false;
  std::string holder;
  uint64_t attempts = 0;
  bool busy = false;
};

/// One candidate: its elector, reached through `apiserver`, and what its callbacks saw.
struct Candidate {
  Candidate(ApiFixture& f, caf::actor apiserver, std::string id, uint64_t seed)
      : identity(std::move(id)), server(std::move(apiserver)) {
    ctx.system = &f.system.get();
    ctx.apiserver = &server;
    ctx.clock = &f.clock;
    ctx.seed = seed;
    LeaderElectionOptions o;
    o.lease_name = kLeaseName;
    o.identity = identity;
    o.event_source = "kube-scheduler";
    o.jitter_factor = 0;  // attempts exactly every retry period: times below are exact
    REQUIRE(validate_leader_election(o).has_value());
    LeaderCallbacks cb;
    // Counters the callbacks share, so an elector outliving this Candidate touches no
    // freed memory.
    cb.started_leading = [n = started] { ++*n; };
    cb.stopped_leading = [n = stopped] { ++*n; };
    elector = spawn_leader_elector(ctx, o, cb);
  }
  ~Candidate() {
    if (elector) caf::anon_send_exit(elector, caf::exit_reason::kill);
  }

  ElectorStatus status(caf::actor_system& system) const {
    caf::scoped_actor self{system};
    ElectorStatus s;
    self->request(elector, 10s, leader_status_atom::value)
        .receive(
            [&](bool leading, std::string holder, uint64_t attempts, bool busy) {
              s = {leading, std::move(holder), attempts, busy};
            },
            [&](caf::error& e) { FAIL("the elector did not answer: " << caf::to_string(e)); });
    return s;
  }

  std::string identity;
  caf::actor server;
  actors::Context ctx;
  caf::actor elector;
  std::shared_ptr<std::atomic<int>> started = std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<std::atomic<int>> stopped = std::make_shared<std::atomic<int>>(0);
};

/// A cluster's API server under virtual time and the candidates it elects among.
struct Election : ApiFixture {
  explicit Election(uint64_t s) : seed(s) {}

  /// A new candidate; its first attempt is over on return unless `settled` is false.
  Candidate& add(const std::string& id, caf::actor through = {}, bool settled = true) {
    candidates.push_back(std::make_unique<Candidate>(
        *this, through ? through : plane->apiserver(), id, seed));
    if (settled) settle();
    return *candidates.back();
  }

  /// Waits (real time, bounded) until no candidate has an attempt in flight. A timer that
  /// fell due was enqueued before the status question, so it has been handled by then.
  void settle() {
    for (auto& c : candidates) {
      if (!c->elector) continue;
      auto until = std::chrono::steady_clock::now() + 20s;
      for (;;) {
        auto s = c->status(system.get());
        if (!s.busy) break;
        REQUIRE(std::chrono::steady_clock::now() < until);
        caf::scoped_actor self{system.get()};
        self->receive(caf::after(std::chrono::milliseconds(5)) >> [] {});
      }
    }
  }

  /// Moves virtual time on by `total` in steps of 250 ms, letting every candidate finish
  /// what each step started.
  void run_for(Duration total) {
    for (Duration done{}; done < total; done += 250ms) {
      clock.advance(std::min<Duration>(250ms, total - done));
      settle();
    }
  }

  /// Advances until `c` leads, at most `limit`; the virtual time it took.
  std::optional<Duration> until_leading(Candidate& c, Duration limit) {
    const auto start = clock.now();
    while (clock.now() - start <= limit) {
      if (c.status(system.get()).leading) return clock.now() - start;
      run_for(250ms);
    }
    return std::nullopt;
  }

  std::shared_ptr<const api::Lease> lease() {
    auto l = client->get<api::Lease>("kube-system", kLeaseName);
    REQUIRE(l.has_value());
    return *l;
  }

  void kill(Candidate& c) {
    caf::scoped_actor self{system.get()};
    self->monitor(c.elector);
    self->send_exit(c.elector, caf::exit_reason::kill);
    self->receive([](caf::down_msg&) {});
    c.elector = caf::actor{};
  }

  uint64_t seed;
  std::vector<std::unique_ptr<Candidate>> candidates;
};

bool has_event(Election& e, const std::string& message) {
  auto until = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < until) {
    auto events = e.client->list<api::Event>("kube-system");
    REQUIRE(events.has_value());
    for (const auto& ev : events->items)
      if (ev->reason == "LeaderElection" && ev->message == message &&
          ev->involved_object.kind == "Lease" && ev->involved_object.name == kLeaseName)
        return true;
    caf::scoped_actor self{e.system.get()};
    self->receive(caf::after(std::chrono::milliseconds(20)) >> [] {});
  }
  return false;
}

}  // namespace

TEST_CASE("a candidate creates the Lease it finds missing, leads and renews it",
          "[leaderelection]") {
  Election e(test_seed("leader election: acquire"));
  const auto t0 = e.clock.now();
  auto& a = e.add("host-a_1");
  CHECK(a.status(e.system.get()).leading);
  CHECK(*a.started == 1);
  auto lease = e.lease();
  CHECK(lease->spec.holder_identity == "host-a_1");
  CHECK(lease->spec.lease_duration_seconds == 15);
  CHECK(lease->spec.acquire_time->value == t0);
  CHECK(lease->spec.renew_time->value == t0);
  CHECK(lease->spec.lease_transitions == 0);
  CHECK(has_event(e, "host-a_1 became leader"));

  e.run_for(5s);
  lease = e.lease();
  CHECK(lease->spec.holder_identity == "host-a_1");
  CHECK(lease->spec.acquire_time->value == t0);
  CHECK(lease->spec.renew_time->value == t0 + 4s);  // renewed every retry period (2 s)
  CHECK(lease->spec.lease_transitions == 0);
  CHECK(*a.stopped == 0);
}

TEST_CASE("of two candidates started together exactly one leads", "[leaderelection]") {
  Election e(test_seed("leader election: race"));
  auto& a = e.add("host-a_1", {}, false);
  auto& b = e.add("host-b_2", {}, false);
  e.settle();
  e.run_for(6s);
  auto sa = a.status(e.system.get()), sb = b.status(e.system.get());
  CHECK(sa.leading != sb.leading);
  CHECK(sa.holder == sb.holder);
  CHECK(e.lease()->spec.holder_identity == sa.holder);
}

TEST_CASE("a second candidate waits while the leader renews, and takes over only after the "
          "record stayed unchanged for the lease duration",
          "[leaderelection]") {
  Election e(test_seed("leader election: takeover"));
  auto& a = e.add("host-a_1");
  auto& b = e.add("host-b_2");
  e.run_for(40s);  // far past the lease duration: A's renewals keep changing the record
  auto sb = b.status(e.system.get());
  CHECK_FALSE(sb.leading);
  CHECK(sb.holder == "host-a_1");
  CHECK(sb.attempts >= 20);  // B kept trying every retry period
  CHECK(*b.started == 0);

  // A dies without releasing (kill -9). B sees the record stop changing within a retry
  // period of A's last renewal and takes over lease duration (15 s) after that, by its clock.
  e.kill(a);
  const auto killed = e.clock.now();
  auto took = e.until_leading(b, 30s);
  REQUIRE(took.has_value());
  INFO("took over after " << std::chrono::duration_cast<std::chrono::milliseconds>(*took).count()
                          << " ms");
  CHECK(*took >= 13s);  // A's last renewal was at most one retry period before the kill
  CHECK(*took <= 19s);
  CHECK(*b.started == 1);
  auto lease = e.lease();
  CHECK(lease->spec.holder_identity == "host-b_2");
  CHECK(lease->spec.lease_transitions == 1);
  CHECK(lease->spec.acquire_time->value > killed);
  CHECK(has_event(e, "host-b_2 became leader"));
}

TEST_CASE("a leader that cannot renew within the renew deadline stops leading",
          "[leaderelection]") {
  Election e(test_seed("leader election: renew deadline"));
  auto link = e.system.get().spawn(cuttable, e.plane->apiserver());
  auto& a = e.add("host-a_1", link);
  e.run_for(3s);
  REQUIRE(a.status(e.system.get()).leading);

  caf::anon_send(link, cut_atom::value);
  const auto cut = e.clock.now();
  e.run_for(9500ms);  // the failing round began at most a retry period after the cut
  CHECK(a.status(e.system.get()).leading);
  CHECK(*a.stopped == 0);
  e.run_for(3s);  // cut + 12.5 s: past any round's renew deadline (10 s)
  auto s = a.status(e.system.get());
  CHECK_FALSE(s.leading);
  CHECK(*a.stopped == 1);
  INFO("stopped within " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                e.clock.now() - cut).count() << " ms of the cut");
  // It does not try again: its owner (the role process) exits and is restarted.
  const auto attempts = s.attempts;
  e.run_for(10s);
  CHECK(a.status(e.system.get()).attempts == attempts);
  CHECK(*a.stopped == 1);
  caf::anon_send_exit(link, caf::exit_reason::user_shutdown);
}

TEST_CASE("a leader that releases on stop lets a waiting candidate take over at once",
          "[leaderelection]") {
  Election e(test_seed("leader election: release"));
  auto& a = e.add("host-a_1");
  auto& b = e.add("host-b_2");
  e.run_for(5s);
  REQUIRE(a.status(e.system.get()).leading);

  caf::scoped_actor self{e.system.get()};
  bool released = false;
  self->request(a.elector, 10s, leader_release_atom::value)
      .receive([&](bool ok) { released = ok; },
               [&](caf::error& err) { FAIL(caf::to_string(err)); });
  CHECK(released);
  auto lease = e.lease();
  CHECK(lease->spec.holder_identity.value_or("") == "");
  CHECK(lease->spec.lease_duration_seconds == 1);
  CHECK(*a.stopped == 0);  // a release is not a loss
  CHECK_FALSE(a.status(e.system.get()).leading);

  auto took = e.until_leading(b, 5s);
  REQUIRE(took.has_value());
  CHECK(*took <= 2s);  // B's next attempt, one retry period at most
  lease = e.lease();
  CHECK(lease->spec.holder_identity == "host-b_2");
  CHECK(lease->spec.lease_transitions == 1);
  // A, released, does not come back.
  e.run_for(20s);
  CHECK_FALSE(a.status(e.system.get()).leading);
  CHECK(e.lease()->spec.holder_identity == "host-b_2");
}

TEST_CASE("a leader whose renewal conflicts with another write re-reads the Lease and renews",
          "[leaderelection]") {
  Election e(test_seed("leader election: conflict"));
  auto& a = e.add("host-a_1");
  e.run_for(1s);
  // Someone else writes the Lease (here: a label): the leader's next renewal, written over
  // the resourceVersion it holds, conflicts.
  auto changed = *e.lease();
  changed.metadata.labels["touched"] = "yes";
  auto written = e.client->update(changed);
  REQUIRE(written.has_value());
  const auto rv = (*written)->metadata.resource_version;
  const auto before = e.clock.now();

  e.run_for(1500ms);  // the renewal at +2 s
  CHECK(a.status(e.system.get()).leading);
  auto lease = e.lease();
  CHECK(lease->metadata.resource_version != rv);
  CHECK(lease->spec.renew_time->value > before);
  CHECK(lease->metadata.labels.at("touched") == "yes");  // written over the re-read Lease
  CHECK(lease->spec.holder_identity == "host-a_1");
  CHECK(*a.stopped == 0);
}

TEST_CASE("leader election options are checked as upstream checks them", "[leaderelection]") {
  LeaderElectionOptions o;
  o.lease_name = kLeaseName;
  o.identity = "me";
  CHECK(validate_leader_election(o).has_value());
  auto message = [](const LeaderElectionOptions& x) {
    auto r = validate_leader_election(x);
    REQUIRE_FALSE(r.has_value());
    return r.error().message;
  };
  auto bad = o;
  bad.renew_deadline = 20s;
  CHECK_THAT(message(bad), Catch::Contains("leaderElection.leaseDuration") &&
                               Catch::Contains("LeaseDuration must be greater than RenewDeadline"));
  bad = o;
  bad.retry_period = 9s;
  CHECK_THAT(message(bad), Catch::Contains("leaderElection.renewDeadline") &&
                               Catch::Contains("retryPeriod*JitterFactor"));
  bad = o;
  bad.retry_period = Duration::zero();
  CHECK_THAT(message(bad), Catch::Contains("leaderElection.retryPeriod"));
  bad = o;
  bad.lease_name.clear();
  CHECK_THAT(message(bad), Catch::Contains("leaderElection.resourceName: Required value"));
  bad = o;
  bad.identity.clear();
  CHECK_THAT(message(bad), Catch::Contains("identity"));
}
