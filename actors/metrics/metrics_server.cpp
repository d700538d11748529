#include "actors/metrics/metrics_server.hpp"

#include <set>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>
#include <caf/all.hpp>

#include "actors/client/informer.hpp"
#include "actors/common/context.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/common/timers.hpp"
#include "actors/kubelet/protocol/messages.hpp"
#include "actors/metrics/messages.hpp"
#include "actors/metrics/metrics_store.hpp"
#include "actors/metrics/protocol/messages.hpp"
#include "api/types/node.hpp"
#include "api/types/pod.hpp"

namespace kactor::metrics {
namespace {

/// One scrape round: the kubelets asked that have not answered yet (the store takes each
/// summary as it arrives).
struct Round {
  uint64_t id = 0;
  std::set<std::string> waiting;
};

struct MetricsServerState {
  MetricsServerOptions options;
  Clock* clock = nullptr;
  client::Informer nodes;
  client::Informer pods;
  MetricsStore store;
  std::optional<Round> round;
  uint64_t rounds = 0;
  /// Nodes whose kubelet was missing or silent in the last round it was asked: logged once,
  /// until it answers again.
  std::unordered_set<std::string> unreachable;
  /// Nodes whose kubelet does not serve summaries at all (it answered "unexpected message"),
  /// by the round before which it is not asked again: a kubelet changes that only when it is
  /// replaced, and asking each one every round would only make each print an error.
  std::unordered_map<std::string, uint64_t> unsupported_until;
  static inline const char* name = "metrics-server";
};

using Self = caf::stateful_actor<MetricsServerState>;

/// Rounds a kubelet that does not serve summaries is left alone (20 × 15 s = 5 min).
constexpr uint64_t kUnsupportedRounds = 20;

/// How a kubelet answered.
enum class Outcome { answered, failed, unsupported };

std::shared_ptr<spdlog::logger> metrics_log() {
  return actors::logger("metrics");
}

void note_unreachable(Self* self, const std::string& node, const char* why) {
  if (self->state.unreachable.insert(node).second)
    metrics_log()->warn("skipping node {}: {} (logged once until it answers)", node, why);
}

/// Ends the round in the store: nodes whose kubelet did not answer lose their metrics.
void finish_round(Self* self) {
  auto& st = self->state;
  if (!st.round) return;
  for (const auto& node : st.round->waiting)
    note_unreachable(self, node, "its kubelet did not answer in time");
  auto stored = st.store.end_round();
  if (stored.incomplete)
    metrics_log()->debug("{} nodes or containers without CPU or memory use left out",
                         stored.incomplete);
  st.round.reset();
}

void on_summary(Self* self, uint64_t round, const std::string& node,
                std::optional<kubelet::Summary> summary, Outcome outcome) {
  auto& st = self->state;
  if (!st.round || st.round->id != round) return;  // a late answer to a round already stored
  if (!st.round->waiting.erase(node)) return;
  if (summary) {
    if (st.unreachable.erase(node)) metrics_log()->info("node {} answers again", node);
    summary->node.node_name = node;  // the node asked, whatever the kubelet calls itself
    st.store.add(*summary, st.options.resolution);
  } else if (outcome == Outcome::unsupported) {
    st.unsupported_until[node] = round + kUnsupportedRounds;
    note_unreachable(self, node, "its kubelet does not serve stats summaries");
  } else {
    note_unreachable(self, node, "its kubelet did not answer");
  }
  if (st.round->waiting.empty()) finish_round(self);
}

void start_round(Self* self) {
  auto& st = self->state;
  finish_round(self);  // a round still waiting ends here (scrape_timeout is capped anyway)
  st.round.emplace();
  st.store.begin_round();
  auto& round = *st.round;
  round.id = ++st.rounds;
  const auto timeout = std::min(st.options.scrape_timeout, st.options.resolution);
  const auto caf_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
  // The answers' callbacks are guarded as the handlers are, and measured with them.
  const auto log = metrics_log();
  auto& meter = actors::busy_meter_of(*log);
  for (const auto& obj : st.nodes.cache->list()) {
    const auto& node = obj->metadata.name;
    if (auto it = st.unsupported_until.find(node); it != st.unsupported_until.end()) {
      if (round.id < it->second) continue;
      st.unsupported_until.erase(it);
    }
    auto kubelet = st.options.kubelet_for ? st.options.kubelet_for(node) : std::nullopt;
    if (!kubelet || !*kubelet) {
      note_unreachable(self, node, "no kubelet runs for it");
      continue;
    }
    round.waiting.insert(node);
    const uint64_t id = round.id;
    // CAF's timeout only frees the pending request; the round's end is timed on the Clock.
    self->request(*kubelet, caf_timeout + std::chrono::seconds(1),
                  kubelet::kubelet_summary_atom::value)
        .then(
            actors::guard_callback(log, meter,
                                   [self, id, node](kubelet::Summary& s) {
                                     on_summary(self, id, node, std::move(s), Outcome::answered);
                                   }),
            actors::guard_callback(log, meter, [self, id, node](caf::error& e) {
              on_summary(
                  self, id, node, std::nullopt,
                  e == caf::sec::unexpected_message ? Outcome::unsupported : Outcome::failed);
            }));
  }
  // Nodes that are gone take their log-once marks and back-offs along.
  const auto& cache = *st.nodes.cache;
  std::erase_if(st.unreachable, [&](const std::string& n) { return !cache.get(n); });
  std::erase_if(st.unsupported_until, [&](const auto& e) { return !cache.get(e.first); });
  if (round.waiting.empty()) return finish_round(self);
  auto me = caf::actor_cast<caf::actor>(self);
  actors::send_later(*st.clock, timeout, me, round_over_atom::value, round.id);
}

caf::behavior metrics_server(Self* self, actors::Context ctx, MetricsServerOptions options) {
  auto& st = self->state;
  st.options = std::move(options);
  st.clock = ctx.clock;
  st.nodes = ctx.informers->get(api::Node::static_type());
  st.pods = ctx.informers->get(api::Pod::static_type());
  self->send(self, scrape_atom::value);
  return actors::guarded(
      metrics_log(),
      [self](scrape_atom) {
        auto& st = self->state;
        actors::send_later(*st.clock, st.options.resolution, caf::actor_cast<caf::actor>(self),
                           scrape_atom::value);
        start_round(self);
      },
      [self](round_over_atom, uint64_t id) {
        if (self->state.round && self->state.round->id == id) finish_round(self);
      },
      [self](metrics_query_atom, const MetricsQuery& q) {
        auto& st = self->state;
        return st.store.answer(q, *st.nodes.cache, *st.pods.cache, st.clock->now());
      });
}

}  // namespace

caf::actor spawn_metrics_server(const actors::Context& ctx, MetricsServerOptions options) {
  return ctx.system->spawn(metrics_server, ctx, std::move(options));
}

}  // namespace kactor::metrics
