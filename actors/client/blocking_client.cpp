#include "actors/client/blocking_client.hpp"

#include <deque>

#include <caf/all.hpp>

#include "actors/apiserver/protocol/messages.hpp"
#include "actors/client/status.hpp"
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
               [&](caf::error& e) { out.error = to_status(e); });
  return out;
}

api::Result<api::ObjectPtr> BlockingClient::create(const api::Object& obj, bool dry_run) {
  auto req = request_with(Verb::create, obj);
  req.dry_run = dry_run;
  return object_result(call(req));
}

api::Result<api::ObjectPtr> BlockingClient::get(const api::TypeInfo& type,
                                                const std::string& namespace_,
                                                const std::string& name) {
  return object_result(call(request_for(Verb::get, type, namespace_, name)));
}

api::Result<api::ObjectPtr> BlockingClient::update(const api::Object& obj) {
  return object_result(call(request_with(Verb::update, obj)));
}

api::Result<api::ObjectPtr> BlockingClient::update_status(const api::Object& obj) {
  return object_result(call(request_with(Verb::update_status, obj)));
}

api::Result<api::ObjectPtr> BlockingClient::patch(const api::TypeInfo& type,
                                                  const std::string& namespace_,
                                                  const std::string& name,
                                                  const std::string& patch_type,
                                                  const std::string& body, bool status) {
  auto req = request_for(status ? Verb::patch_status : Verb::patch, type, namespace_, name);
  req.patch_type = patch_type;
  req.patch_body = body;
  return object_result(call(req));
}

api::Result<api::ObjectPtr> BlockingClient::remove(const api::TypeInfo& type,
                                                   const std::string& namespace_,
                                                   const std::string& name,
                                                   const DeleteOptions& options) {
  return object_result(call(delete_request(type, namespace_, name, options)));
}

api::Result<api::ObjectPtr> BlockingClient::bind(const std::string& namespace_,
                                                 const std::string& pod, const std::string& node) {
  return object_result(call(binding_request(namespace_, pod, node)));
}

api::Result<ListResult<api::Object>> BlockingClient::list(const api::TypeInfo& type,
                                                          const std::string& namespace_,
                                                          const ListOptions& options) {
  auto r = call(list_request(type, namespace_, options));
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

bool BlockingWatch::closed() const {
  return impl_->closed && impl_->buffered.empty();
}
uint64_t BlockingWatch::id() const {
  return impl_->id;
}

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
               [&](caf::error& e) { out.error = to_status(e); });
  if (out.error) return api::fail(std::move(*out.error));
  impl->id = out.watch_id;
  return BlockingWatch(std::move(impl));
}

}  // namespace kactor::client
