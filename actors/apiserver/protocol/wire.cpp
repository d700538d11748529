// The wire format of the API server protocol: msgpack, through the same
// describe() machinery as the store format.
#include "actors/apiserver/protocol/messages.hpp"

#include "api/codec/msgpack_codec.hpp"
#include "api/registry.hpp"

namespace kactor::apiserver {

template <class V>
void describe(V& v, Response& x) {
  v("error", x.error);
  v("object", x.object);
  v("items", x.items);
  v("resourceVersion", x.resource_version);
  v("continue", x.continue_token);
  v("remainingItemCount", x.remaining_item_count, api::keep_zero);
  v("watchId", x.watch_id);
}

template <class V>
void describe(V& v, WatchRequest& x) {
  v("group", x.group);
  v("resource", x.resource);
  v("namespace", x.namespace_);
  v("labelSelector", x.label_selector);
  v("fieldSelector", x.field_selector);
  v("resourceVersion", x.resource_version);
  v("allowBookmarks", x.allow_bookmarks);
  v("sendInitial", x.send_initial);
  v("tag", x.tag);
  // Not `batched`: a batch never crosses hosts, so a decoded request never asks for one.
}

/// WatchEvent as it travels: the object as [apiVersion, kind, msgpack bytes], the bytes
/// taken from the event (encoded once by the API server), not encoded again.
struct WireEvent {
  uint8_t type = 0;
  uint64_t revision = 0;
  std::string api_version;
  std::string kind;
  std::string object;  // msgpack bytes of the object
  std::optional<api::Status> error;
  bool operator==(const WireEvent&) const = default;
};
template <class V>
void describe(V& v, WireEvent& x) {
  v("type", x.type, api::keep_zero);
  v("revision", x.revision);
  v("apiVersion", x.api_version);
  v("kind", x.kind);
  v("object", x.object);
  v("error", x.error);
}

struct WireEvents {
  uint64_t watch_id = 0;
  uint64_t tag = 0;
  std::vector<WireEvent> events;
  bool closed = false;
  bool operator==(const WireEvents&) const = default;
};
template <class V>
void describe(V& v, WireEvents& x) {
  v("watchId", x.watch_id);
  v("tag", x.tag);
  v("events", x.events);
  v("closed", x.closed);
}

namespace {

template <class T>
std::string encode(const T& x) {
  msgpack::sbuffer buf;
  api::msgpack_codec::Packer p(buf);
  api::msgpack_codec::pack(p, x);
  return std::string(buf.data(), buf.size());
}

template <class T>
bool decode(std::string_view bytes, T& x) {
  try {
    auto h = msgpack::unpack(bytes.data(), bytes.size(), api::msgpack_codec::reference_input,
                             nullptr, api::msgpack_codec::unpack_limits(bytes.size()));
    api::msgpack_codec::DecodeState st;
    return api::msgpack_codec::unpack(h.get(), x, st);
  } catch (const std::exception&) {  // msgpack-c throws on malformed input
    return false;
  }
}

}  // namespace

std::string wire_encode(const Request& x) { return encode(x); }
std::string wire_encode(const Response& x) { return encode(x); }
std::string wire_encode(const WatchRequest& x) { return encode(x); }
std::string wire_encode(const WatchEvents& x) {
  WireEvents w{x.watch_id, x.tag, {}, x.closed};
  for (const auto& e : x.events) {
    WireEvent we{static_cast<uint8_t>(e->type), e->revision, {}, {}, {}, e->error};
    if (e->object) {
      const auto& t = e->object->type();
      we.api_version = t.api_version();
      we.kind = t.kind;
      if (e->encoded) we.object = *e->encoded;
      else t.to_msgpack(*e->object, we.object);
    }
    w.events.push_back(std::move(we));
  }
  return encode(w);
}

bool wire_decode(std::string_view bytes, Request& x) { return decode(bytes, x); }
bool wire_decode(std::string_view bytes, Response& x) { return decode(bytes, x); }
bool wire_decode(std::string_view bytes, WatchRequest& x) { return decode(bytes, x); }
bool wire_decode(std::string_view bytes, WatchEvents& x) {
  WireEvents w;
  if (!decode(bytes, w)) return false;
  x.watch_id = w.watch_id;
  x.tag = w.tag;
  x.closed = w.closed;
  x.events.clear();
  for (auto& e : w.events) {
    auto ev = std::make_shared<WatchEvent>();
    ev->type = static_cast<WatchEvent::Type>(e.type);
    ev->revision = e.revision;
    if (!e.kind.empty()) {
      const auto* t = api::Registry::builtin().by_kind(e.api_version, e.kind);
      if (!t) return false;
      auto obj = t->from_msgpack(e.object);
      if (!obj) return false;
      ev->object = api::ObjectPtr(std::move(*obj));
      ev->encoded = std::make_shared<const std::string>(std::move(e.object));
    }
    ev->error = std::move(e.error);
    x.events.push_back(std::move(ev));
  }
  return true;
}

void register_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<Request>("kactor.Request");
  cfg.add_message_type<Response>("kactor.Response");
  cfg.add_message_type<WatchRequest>("kactor.WatchRequest");
  cfg.add_message_type<WatchEvents>("kactor.WatchEvents");
}

}  // namespace kactor::apiserver
