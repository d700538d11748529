#include "actors/client/blocking_client.hpp"

#include <deque>

#include <caf/all.hpp>

#include "actors/apiserver/messages.hpp"
#include "api/types/all.hpp"

namespace kactor::client {

using apiserver::Request;
using apiserver::Response;
using apiserver::Verb;

namespace {

api::Result<api::ObjectPtr> object_result(Response r) {
  if (r.error) return api::fail(std::move(*r.error));
  return std::move(r.object);
}

Request for_type(Verb verb, const api::TypeInfo& type, const std::string& namespace_,
                 const std::string& name) {
  Request req;
  req.verb = verb;
  req.group = type.group;
  req.resource = type.resource;
  req.namespace_ = namespace_;
  req.name = name;
  return req;
}

Request for_object(Verb verb, const api::Object& obj) {
  auto req = for_type(verb, obj.type(), obj.metadata.namespace_, obj.metadata.name);
  req.object = api::ObjectPtr(obj.type().clone(obj));
  return req;
}

}  // namespace

struct BlockingClient::Impl {
  Impl(caf::actor_system& sys, caf::actor api, std::chrono::milliseconds t)
      : system(sys), apiserver(std::move(api)), timeout(t) {}
  caf::actor_system& system;
  caf::actor apiserver;
  std::chrono::milliseconds timeout;
};

BlockingClient::BlockingClient(caf::actor_system& system, const caf::actor& apiserver,
                               std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(system, apiserver, timeout)) {}

BlockingClient::~BlockingClient() = default;

Response BlockingClient::call(const Request& request) {
  caf::scoped_actor self{impl_->system};
  Response out;
  self->request(impl_->apiserver, impl_->timeout, request)
      .receive([&](Response& r) { out = std::move(r); },
               [&](caf::error& e) {
                 out.error = e == caf::sec::request_timeout
                                 ? api::timeout("the API server did not answer in time")
                                 : api::internal_error(caf::to_string(e));
               });
  return out;
}

api::Result<api::ObjectPtr> BlockingClient::create(const api::Object& obj, bool dry_run) {
  auto req = for_object(Verb::create, obj);
  req.dry_run = dry_run;
  return object_result(call(req));
}

api::Result<api::ObjectPtr> BlockingClient::get(const api::TypeInfo& type,
                                                const std::string& namespace_,
                                                const std::string& name) {
  return object_result(call(for_type(Verb::get, type, namespace_, name)));
}

api::Result<api::ObjectPtr> BlockingClient::update(const api::Object& obj) {
  return object_result(call(for_object(Verb::update, obj)));
}

api::Result<api::ObjectPtr> BlockingClient::update_status(const api::Object& obj) {
  return object_result(call(for_object(Verb::update_status, obj)));
}

api::Result<api::ObjectPtr> BlockingClient::patch(const api::TypeInfo& type,
                                                  const std::string& namespace_,
                                                  const std::string& name,
                                                  const std::string& patch_type,
                                                  const std::string& body, bool status) {
  auto req = for_type(status ? Verb::patch_status : Verb::patch, type, namespace_, name);
  req.patch_type = patch_type;
  req.patch_body = body;
  return object_result(call(req));
}

api::Result<api::ObjectPtr> BlockingClient::remove(const api::TypeInfo& type,
                                                   const std::string& namespace_,
                                                   const std::string& name,
                                                   const DeleteOptions& options) {
  auto req = for_type(Verb::remove, type, namespace_, name);
  req.grace_period_seconds = options.grace_period_seconds;
  req.propagation_policy = options.propagation_policy;
  req.precondition_uid = options.precondition_uid;
  req.precondition_resource_version = options.precondition_resource_version;
  req.dry_run = options.dry_run;
  return object_result(call(req));
}

api::Result<api::ObjectPtr> BlockingClient::bind(const std::string& namespace_,
                                                 const std::string& pod,
                                                 const std::string& node) {
  auto binding = std::make_shared<api::Binding>();
  binding->metadata.name = pod;
  binding->metadata.namespace_ = namespace_;
  binding->target.kind = "Node";
  binding->target.name = node;
  auto req = for_type(Verb::bind, api::Pod::static_type(), namespace_, pod);
  req.object = binding;
  return object_result(call(req));
}

api::Result<ListResult<api::Object>> BlockingClient::list(const api::TypeInfo& type,
                                                          const std::string& namespace_,
                                                          const ListOptions& options) {
  auto req = for_type(Verb::list, type, namespace_, "");
  req.label_selector = options.label_selector;
  req.field_selector = options.field_selector;
  req.limit = options.limit;
  req.continue_token = options.continue_token;
  req.resource_version = options.resource_version;
  req.resource_version_match = options.resource_version_match;
  auto r = call(req);
  if (r.error) return api::fail(std::move(*r.error));
  return ListResult<api::Object>{std::move(r.items), std::move(r.resource_version),
                                 std::move(r.continue_token)};
}

// -- watch -------------------------------------------------------------------------

struct BlockingWatch::Impl {
  Impl(caf::actor_system& sys, caf::actor api) : self(sys), apiserver(std::move(api)) {}
  caf::scoped_actor self;
  caf::actor apiserver;
  uint64_t id = 0;
  uint64_t tag = 0;
  bool closed = false;
  std::deque<apiserver::WatchEventPtr> buffered;
};

BlockingWatch::BlockingWatch(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BlockingWatch::BlockingWatch(BlockingWatch&&) noexcept = default;
BlockingWatch::~BlockingWatch() {
  if (impl_ && !impl_->closed && impl_->id)
    impl_->self->send(impl_->apiserver, apiserver::cancel_atom::value, impl_->id);
}

bool BlockingWatch::closed() const { return impl_->closed && impl_->buffered.empty(); }
uint64_t BlockingWatch::id() const { return impl_->id; }

std::optional<apiserver::WatchEventPtr> BlockingWatch::next(std::chrono::milliseconds timeout) {
  auto& im = *impl_;
  while (im.buffered.empty() && !im.closed) {
    bool got = false;
    im.self->receive(
        [&](apiserver::WatchEvents& ev) {
          if (ev.tag != im.tag) return;
          got = true;
          for (auto& e : ev.events) im.buffered.push_back(e);
          if (!ev.events.empty())
            im.self->send(im.apiserver, apiserver::ack_atom::value, ev.watch_id,
                          static_cast<uint64_t>(ev.events.size()));
          if (ev.closed) im.closed = true;
        },
        caf::after(timeout) >> [&] {});
    if (!got) break;
  }
  if (im.buffered.empty()) return std::nullopt;
  auto e = im.buffered.front();
  im.buffered.pop_front();
  return e;
}

api::Result<BlockingWatch> BlockingClient::watch(const apiserver::WatchRequest& request) {
  static std::atomic<uint64_t> next_tag{1};
  auto impl = std::make_unique<BlockingWatch::Impl>(impl_->system, impl_->apiserver);
  auto req = request;
  req.tag = next_tag++;
  impl->tag = req.tag;
  Response out;
  // Events may arrive before the reply; the request's own receive keeps them queued.
  impl->self->request(impl_->apiserver, impl_->timeout, req)
      .receive([&](Response& r) { out = std::move(r); },
               [&](caf::error& e) { out.error = api::internal_error(caf::to_string(e)); });
  if (out.error) return api::fail(std::move(*out.error));
  impl->id = out.watch_id;
  return BlockingWatch(std::move(impl));
}

}  // namespace kactor::client
