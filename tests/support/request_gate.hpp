// A gate in front of the API server for tests of races: it forwards every message to the
// API server (with its sender and request id, so the server answers the sender), except
// that, once armed, it holds the next request of one verb on one object until released.
// A write computed from one version of an object is then made to land after another
// writer's, deterministically: hold it, write meanwhile, release.
//
//   RequestGate gate(system, apiserver);   // the component under test gets gate.actor
//   gate.hold("update_status", "pods", "web");
//   ... make the component write ...;  REQUIRE(gate.wait_held());
//   ... write something else meanwhile ...;  gate.release();
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <caf/all.hpp>

#include "actors/apiserver/protocol/messages.hpp"

namespace kactor::testing {

using gate_hold_atom = caf::atom_constant<caf::atom("gt_hold")>;
using gate_held_atom = caf::atom_constant<caf::atom("gt_held")>;
using gate_release_atom = caf::atom_constant<caf::atom("gt_free")>;

struct RequestGateState {
  caf::actor apiserver;
  /// What to hold next (a verb's name as apiserver::to_string writes it, a resource, a
  /// name); empty verb: nothing.
  std::string verb, resource, name;
  /// Told (gate_held_atom) when the request is held.
  caf::actor listener;
  std::optional<apiserver::Request> held;
  caf::response_promise promise;
};

inline caf::behavior request_gate(caf::stateful_actor<RequestGateState>* self,
                                  caf::actor apiserver) {
  self->state.apiserver = std::move(apiserver);
  self->set_default_handler(
      [](caf::scheduled_actor* ptr, caf::message_view& msg) -> caf::result<caf::message> {
        auto* self = static_cast<caf::stateful_actor<RequestGateState>*>(ptr);
        self->delegate(self->state.apiserver, msg.move_content_to_message());
        return caf::delegated<caf::message>{};
      });
  return {
      [self](gate_hold_atom, std::string verb, std::string resource, std::string name,
             caf::actor listener) {
        auto& st = self->state;
        st.verb = std::move(verb);
        st.resource = std::move(resource);
        st.name = std::move(name);
        st.listener = std::move(listener);
      },
      [self](gate_release_atom) {
        auto& st = self->state;
        if (!st.held) return;
        st.promise.delegate(st.apiserver, std::move(*st.held));
        st.held.reset();
      },
      [self](apiserver::Request& req) -> caf::result<caf::message> {
        auto& st = self->state;
        bool hold = !st.verb.empty() && st.verb == apiserver::to_string(req.verb) &&
                    st.resource == req.resource &&
                    (st.name == req.name || (req.object && st.name == req.object->metadata.name));
        if (!hold) {
          self->delegate(st.apiserver, std::move(req));
          return caf::delegated<caf::message>{};
        }
        st.verb.clear();  // only the next one
        st.held = std::move(req);
        st.promise = self->make_response_promise();
        self->send(st.listener, gate_held_atom::value);
        return caf::delegated<caf::message>{};
      },
  };
}

/// The gate actor and a test's handle on it; the gate ends with it.
class RequestGate {
 public:
  RequestGate(caf::actor_system& system, caf::actor apiserver)
      : actor(system.spawn(request_gate, std::move(apiserver))), test_(system) {}
  ~RequestGate() { caf::anon_send_exit(actor, caf::exit_reason::user_shutdown); }
  RequestGate(const RequestGate&) = delete;
  RequestGate& operator=(const RequestGate&) = delete;

  /// Holds the next request `verb` ("update_status", as apiserver::to_string writes it) on
  /// `resource` `name`.
  void hold(const std::string& verb, const std::string& resource, const std::string& name) {
    test_->send(actor, gate_hold_atom::value, verb, resource, name,
                caf::actor_cast<caf::actor>(test_));
  }
  /// Waits until the request is held, for at most `deadline`.
  bool wait_held(std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    bool held = false;
    test_->receive([&](gate_held_atom) { held = true; }, caf::after(deadline) >> [] {});
    return held;
  }
  /// Sends the held request on to the API server.
  void release() { test_->send(actor, gate_release_atom::value); }

  caf::actor actor;

 private:
  caf::scoped_actor test_;
};

}  // namespace kactor::testing
