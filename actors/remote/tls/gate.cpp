#include "actors/remote/tls/gate.hpp"

#include <openssl/rand.h>

#include <map>
#include <memory>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/apiserver/protocol/batch.hpp"
#include "actors/apiserver/protocol/messages.hpp"
#include "actors/common/guarded.hpp"
#include "actors/common/logging.hpp"
#include "actors/remote/messages.hpp"
#include "actors/remote/remote_apiserver.hpp"
#include "actors/remote/tls/node_restriction.hpp"
#include "actors/remote/tls/peer_identity.hpp"
#include "actors/remote/tls/pod_references.hpp"
#include "actors/remote/tls/proof.hpp"
#include "api/types/node.hpp"
#include "api/types/pod.hpp"
#include "api/types/storage.hpp"

namespace kactor::remote::tls {
namespace {

using apiserver::Request;
using apiserver::Response;
using apiserver::Verb;
using apiserver::WatchRequest;

/// How long the gate waits for the API server to read the pod or Node a node's write is about
/// (and for a write it forwards itself): as long as a remote client waits for any request
/// (RemoteOptions::request_timeout).
constexpr std::chrono::seconds kCheckTimeout{60};

/// How many more times a node's write of its own Node is read, checked and forwarded when the
/// Node changed between the gate's read and the write (upstream's MaxRetryWhenPatchConflicts).
constexpr int kNodeWriteConflictRetries = 5;

/// A proven connection: who it is and the actor that proved it (its down ends the record).
/// Shared, because a pod check holds it across an API server round trip, and a node process's
/// identity names every node it runs (500 users): copying it per status write cost the API
/// server process a third of its CPU in `bench_density --hosts`.
struct Peer {
  std::shared_ptr<const PeerIdentity> identity;
  caf::actor_addr prover;
};

struct State {
  caf::actor apiserver;
  GateOptions options;
  std::shared_ptr<spdlog::logger> log;
  /// The nonce handed to each node that said hello and has not proven yet.
  std::map<caf::node_id, std::string> nonces;
  std::map<caf::node_id, Peer> peers;
  /// Answers to RequestBatch items, until they leave in one ResponseBatch per stand-in.
  apiserver::AnswerCollector answers;
};
using Self = caf::stateful_actor<State>;

Response error_response(api::Status s) {
  Response r;
  r.error = std::move(s);
  return r;
}

std::string new_nonce() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return {};
  std::string hex;
  for (unsigned char b : bytes) hex += fmt::format("{:02x}", b);
  return hex;
}

caf::node_id sender_node(Self* self) {
  auto sender = self->current_sender();
  return sender ? sender->node() : caf::node_id{};
}

/// The proven identity of the process `node`, nullptr when it has none.
std::shared_ptr<const PeerIdentity> identity_of(Self* self, const caf::node_id& node) {
  if (node == caf::node_id{} || node == self->node()) return nullptr;
  auto it = self->state.peers.find(node);
  return it == self->state.peers.end() ? nullptr : it->second.identity;
}

/// The proven identity of the current message's sender, nullptr when it has none.
std::shared_ptr<const PeerIdentity> sender_identity(Self* self) {
  return identity_of(self, sender_node(self));
}

api::Status unproven() {
  return unauthorized(
      "this connection has not proven an identity (peer_prove with a certificate of the "
      "cluster CA; docs/multi-host.md \"Security\")");
}

caf::result<std::string> on_hello(Self* self) {
  auto node = sender_node(self);
  if (node == caf::node_id{}) return caf::make_error(caf::sec::invalid_argument, "no sender");
  auto nonce = new_nonce();
  if (nonce.empty()) return caf::make_error(caf::sec::runtime_error, "no randomness");
  self->state.nonces[node] = nonce;
  return nonce;
}

caf::result<std::string> on_prove(Self* self, const std::string& proof) {
  auto& st = self->state;
  auto node = sender_node(self);
  auto it = st.nonces.find(node);
  if (it == st.nonces.end())
    return caf::make_error(caf::sec::invalid_argument, "401 Unauthorized: no nonce: say hello first");
  auto nonce = std::move(it->second);
  st.nonces.erase(it);  // one proof per nonce
  auto challenge = peer_challenge(nonce, caf::to_string(self->node()), caf::to_string(node));
  auto users = verify_proof(proof, challenge, st.options.ca.get(), st.options.clock->now());
  auto refuse = [&](const api::Status& s) {
    st.log->warn("refused a connection from {}: {} {}", caf::to_string(node), s.code, s.message);
    return caf::make_error(caf::sec::invalid_argument, fmt::format("{} {}: {}", s.code, s.reason,
                                                                   s.message));
  };
  if (!users) return refuse(users.error());
  auto identity = classify_peer(std::move(*users));
  if (!identity) return refuse(identity.error());
  auto who = identity->describe();
  auto prover = self->current_sender();
  self->monitor(prover);
  st.peers[node] = Peer{std::make_shared<const PeerIdentity>(std::move(*identity)),
                        caf::actor_cast<caf::actor_addr>(prover)};
  st.log->info("{} is {}", caf::to_string(node), who);
  return who;
}

/// The gate's own read of core `resource` before it decides: a get of `name`, or a list.
Request read_of(Verb verb, const char* resource, const std::string& ns,
                const std::string& name = "") {
  Request r;
  r.verb = verb;
  r.resource = resource;
  r.namespace_ = ns;
  r.name = name;
  return r;
}

/// A node's pod status write, delete or eviction: allowed only if the stored pod is bound to it.
caf::result<Response> check_pod_then_forward(Self* self,
                                             std::shared_ptr<const PeerIdentity> identity,
                                             Request& req) {
  auto& st = self->state;
  auto rp = self->make_response_promise<Response>();
  self->request(st.apiserver, kCheckTimeout, read_of(Verb::get, "pods", req.namespace_, req.name))
      .then(actors::guard_callback(
          st.log, [self, rp, identity = std::move(identity), req = std::move(req)](Response& r) mutable {
            if (!r.ok() || !r.object) {
              rp.deliver(std::move(r));  // NotFound and the like, as the write would say
              return;
            }
            const auto* pod = dynamic_cast<const api::Pod*>(r.object.get());
            auto denial = admit_bound_pod(*identity, req, pod ? pod->spec.node_name : "");
            if (denial) {
              rp.deliver(error_response(std::move(*denial)));
              return;
            }
            rp.delegate(self->state.apiserver, std::move(req));
          }),
          [rp](caf::error& e) mutable {
            // No answer in time (or the API server is gone): the node's client retries, as
            // it would after a 504 from kube-apiserver.
            rp.deliver(error_response(api::timeout(
                "the pod check before this node's write timed out: " + caf::to_string(e))));
          });
  return rp;
}

/// A node's read of a secret, configmap, PVC or PV (`message`: the Request or WatchRequest):
/// the gate lists the pods of the object's namespace (for a PV, first the PV, then its claim's
/// namespace) and delegates the read when one bound to the node refers to it. Upstream keeps a
/// graph fed by informers instead; kactor's nodes read none of these kinds today, so a list
/// per check costs nothing in practice (docs/multi-host.md, "Authorization").
template <class Message>
caf::result<Response> check_related_then_forward(Self* self,
                                                 std::shared_ptr<const PeerIdentity> identity,
                                                 NodeRead read, Message& message) {
  auto rp = self->make_response_promise<Response>();
  auto timed_out = [rp](caf::error& e) mutable {
    rp.deliver(error_response(api::timeout(
        "the relationship check before this node's read timed out: " + caf::to_string(e))));
  };
  // Lists the pods of `ns` and answers: delegated when one refers to `kind` `name`.
  auto decide = [self, rp, identity, read, timed_out,
                 message = std::make_shared<Message>(std::move(message))](
                    const std::string& ns, RelatedKind kind, const std::string& name) mutable {
    self->request(self->state.apiserver, kCheckTimeout, read_of(Verb::list, "pods", ns))
        .then(actors::guard_callback(
                  self->state.log,
                  [self, rp, identity, read, message, kind, name](Response& pods) mutable {
                    if (!pods.ok()) {
                      rp.deliver(std::move(pods));
                      return;
                    }
                    auto related = referred_by_pod_on(identity->nodes, pods.items, kind, name);
                    if (auto denial = related_read(*identity, read, related)) {
                      rp.deliver(error_response(std::move(*denial)));
                      return;
                    }
                    rp.delegate(self->state.apiserver, std::move(*message));
                  }),
              timed_out);
  };
  if (read.resource != "persistentvolumes") {
    auto kind = read.resource == "secrets"      ? RelatedKind::secret
                : read.resource == "configmaps" ? RelatedKind::config_map
                                                : RelatedKind::claim;
    decide(read.namespace_, kind, read.name);
    return rp;
  }
  // A PV is related through the claim it is bound to (its claimRef).
  self->request(self->state.apiserver, kCheckTimeout,
                read_of(Verb::get, "persistentvolumes", "", read.name))
      .then(actors::guard_callback(
                self->state.log,
                [rp, identity, read, decide](Response& r) mutable {
                  if (!r.ok() && !api::is_not_found(*r.error)) {
                    rp.deliver(std::move(r));  // the API server's trouble, not an answer
                    return;
                  }
                  const auto* pv = r.ok() && r.object ? api::as<api::PersistentVolume>(*r.object)
                                                      : nullptr;
                  if (!pv || !pv->spec.claim_ref) {
                    // No PV, or one bound to no claim: related to no node (upstream: 403,
                    // not 404).
                    rp.deliver(error_response(*related_read(*identity, read, false)));
                    return;
                  }
                  decide(pv->spec.claim_ref->namespace_, RelatedKind::claim,
                         pv->spec.claim_ref->name);
                }),
            timed_out);
  return rp;
}

/// A node's token request: the gate lists the pods of the service account's namespace and
/// delegates the request when admit_token_request finds a pod of the node that runs as the
/// service account and the token bound to one of the node's pods (a list per request, as for
/// reads above: kactor's kubelets request no tokens today).
caf::result<Response> check_token_then_forward(Self* self,
                                               std::shared_ptr<const PeerIdentity> identity,
                                               Request& req) {
  auto rp = self->make_response_promise<Response>();
  self->request(self->state.apiserver, kCheckTimeout, read_of(Verb::list, "pods", req.namespace_))
      .then(actors::guard_callback(
                self->state.log,
                [self, rp, identity = std::move(identity),
                 req = std::move(req)](Response& pods) mutable {
                  if (!pods.ok()) {
                    rp.deliver(std::move(pods));
                    return;
                  }
                  if (auto denial = admit_token_request(*identity, req, pods.items)) {
                    rp.deliver(error_response(std::move(*denial)));
                    return;
                  }
                  rp.delegate(self->state.apiserver, std::move(req));
                }),
            [rp](caf::error& e) mutable {
              rp.deliver(error_response(api::timeout(
                  "the pod check before this node's token request timed out: " +
                  caf::to_string(e))));
            });
  return rp;
}

/// One read-check-write round of a node's update or patch of its own Node (admit_node_write);
/// a Conflict on a precondition the gate added starts another round, `retries` more at most.
void node_write_round(Self* self, caf::typed_response_promise<Response> rp,
                      std::shared_ptr<const Request> req, int retries) {
  auto& st = self->state;
  const auto& name = !req->name.empty() || !req->object ? req->name : req->object->metadata.name;
  auto timed_out = [rp](caf::error& e) mutable {
    rp.deliver(error_response(api::timeout("the Node check before this node's write timed out: " +
                                           caf::to_string(e))));
  };
  self->request(st.apiserver, kCheckTimeout, read_of(Verb::get, "nodes", "", name))
      .then(actors::guard_callback(
                st.log,
                [self, rp, req, retries, timed_out](Response& r) mutable {
                  if (!r.ok() || !r.object) {
                    rp.deliver(std::move(r));  // NotFound and the like, as the write would say
                    return;
                  }
                  const auto* stored = dynamic_cast<const api::Node*>(r.object.get());
                  if (!stored) {
                    rp.deliver(error_response(api::internal_error("the stored object is not a Node")));
                    return;
                  }
                  auto w = admit_node_write(*req, *stored);
                  if (w.answer) {
                    rp.deliver(error_response(std::move(*w.answer)));
                    return;
                  }
                  bool retry = w.retry_on_conflict && retries > 0;
                  self->request(self->state.apiserver, kCheckTimeout, std::move(w.forward))
                      .then(actors::guard_callback(
                                self->state.log,
                                [self, rp, req, retries, retry](Response& written) mutable {
                                  if (retry && written.error && api::is_conflict(*written.error))
                                    node_write_round(self, rp, req, retries - 1);
                                  else
                                    rp.deliver(std::move(written));
                                }),
                            timed_out);
                }),
            timed_out);
}

/// A node's update or patch of its own Node: checked against the stored Node, then written
/// under the version checked.
caf::result<Response> check_node_then_forward(Self* self, Request& req) {
  auto rp = self->make_response_promise<Response>();
  node_write_round(self, rp, std::make_shared<const Request>(std::move(req)),
                   kNodeWriteConflictRetries);
  return rp;
}

/// A request from a process proven as `identity` (null: none): refused, checked, or
/// delegated to the API server.
caf::result<Response> on_request(Self* self, std::shared_ptr<const PeerIdentity> identity,
                                 Request& req) {
  if (!identity) return error_response(unproven());
  if (identity->is_node()) {
    auto admission = admit_node_request(*identity, req);
    switch (admission.decision) {
      case NodeAdmission::Decision::deny:
        return error_response(std::move(admission.denial));
      case NodeAdmission::Decision::check_pod:
        return check_pod_then_forward(self, std::move(identity), req);
      case NodeAdmission::Decision::check_node:
        return check_node_then_forward(self, req);
      case NodeAdmission::Decision::check_related:
        return check_related_then_forward(self, std::move(identity), node_read(req), req);
      case NodeAdmission::Decision::check_token:
        return check_token_then_forward(self, std::move(identity), req);
      case NodeAdmission::Decision::allow:
        break;
    }
  }
  self->delegate(self->state.apiserver, std::move(req));
  return caf::delegated<Response>{};
}

/// A stand-in's RequestBatch: each item goes through the gate as a request of its own (a
/// message to ourselves naming the sender's process, so every check and delegation works
/// as for a single request from it), and its answer joins the batch of answers to that
/// stand-in.
void on_request_batch(Self* self, apiserver::RequestBatch& batch) {
  const auto node = sender_node(self);
  auto& meter = actors::busy_meter_of(*self->state.log);
  apiserver::answer_items(
      self, batch, self->state.answers,
      [node](Self* self, Request&& r) {
        return self->request(caf::actor_cast<caf::actor>(self), kCheckTimeout,
                             batch_item_atom::value, node, std::move(r));
      },
      [self, &meter](auto f) {
        return actors::guard_callback(self->state.log, meter, std::move(f));
      });
}

caf::behavior gate(Self* self, caf::actor apiserver, GateOptions options) {
  auto& st = self->state;
  st.apiserver = std::move(apiserver);
  st.options = std::move(options);
  st.log = actors::logger("gate");
  self->set_down_handler([self](caf::down_msg& down) {
    auto& st = self->state;
    for (auto it = st.peers.begin(); it != st.peers.end(); ++it) {
      if (it->second.prover != down.source) continue;
      st.log->info("{} ({}) disconnected", caf::to_string(it->first), it->second.identity->describe());
      st.nonces.erase(it->first);
      st.peers.erase(it);
      return;
    }
  });
  // Anything else (compact_atom, cancel_atom without an id, ...) only from a component.
  self->set_default_handler(
      [](caf::scheduled_actor* ptr, caf::message_view& msg) -> caf::result<caf::message> {
        auto* self = static_cast<Self*>(ptr);
        auto identity = sender_identity(self);
        if (!identity || identity->is_node())
          return caf::make_error(caf::sec::unexpected_message,
                                 "403 Forbidden: not allowed over this connection");
        self->delegate(self->state.apiserver, msg.move_content_to_message());
        return caf::delegated<caf::message>{};
      });
  return actors::guarded(
      st.log, [self](peer_hello_atom) { return on_hello(self); },
      [self](peer_prove_atom, std::string& proof) { return on_prove(self, proof); },
      [self](Request& req) -> caf::result<Response> {
        return on_request(self, sender_identity(self), req);
      },
      [self](apiserver::RequestBatch& batch) {
        on_request_batch(self, batch);
        return true;  // taken (the answers follow in ResponseBatches)
      },
      [self](batch_item_atom, const caf::node_id& node, Request& req) -> caf::result<Response> {
        // Only from on_request_batch: another process naming a node would borrow its identity.
        if (self->current_sender().get() != self->ctrl())
          return caf::make_error(caf::sec::unexpected_message,
                                 "403 Forbidden: not allowed over this connection");
        return on_request(self, identity_of(self, node), req);
      },
      [self](apiserver::send_answers_atom) { self->state.answers.flush(self); },
      [self](WatchRequest& wr) -> caf::result<Response> {
        auto identity = sender_identity(self);
        if (!identity) return error_response(unproven());
        if (identity->is_node()) {
          auto read = node_read(wr);
          auto admission = admit_node_read(*identity, read);
          if (admission.decision == NodeAdmission::Decision::deny)
            return error_response(std::move(admission.denial));
          if (admission.decision == NodeAdmission::Decision::check_related)
            return check_related_then_forward(self, std::move(identity), std::move(read), wr);
        }
        self->delegate(self->state.apiserver, std::move(wr));
        return caf::delegated<Response>{};
      },
      [self](apiserver::ack_atom a, uint64_t id, uint64_t count) {
        if (sender_identity(self)) self->delegate(self->state.apiserver, a, id, count);
      },
      [self](apiserver::cancel_atom a, uint64_t id) {
        if (sender_identity(self)) self->delegate(self->state.apiserver, a, id);
      });
}

}  // namespace

caf::actor spawn_gate(caf::actor_system& system, caf::actor apiserver, GateOptions options) {
  return system.spawn(gate, std::move(apiserver), std::move(options));
}

}  // namespace kactor::remote::tls
