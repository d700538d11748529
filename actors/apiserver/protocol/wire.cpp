// The wire format of the API server protocol: msgpack, through the same
// describe() machinery as the store format.
#include "actors/apiserver/protocol/messages.hpp"
#include "actors/apiserver/protocol/batch.hpp"

#include <unordered_map>

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
  v("batched", x.batched);
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

/// WatchEventsBatch as it travels: each event once, however many of the batch's watches saw
/// it (a pod's change reaches a node process through its kubelet's watch and its shared
/// informer's), and each watch's events as indexes into them.
struct WireBatchItem {
  uint64_t watch_id = 0;
  uint64_t tag = 0;
  std::vector<uint32_t> events;
  bool closed = false;
  bool operator==(const WireBatchItem&) const = default;
};
template <class V>
void describe(V& v, WireBatchItem& x) {
  v("watchId", x.watch_id);
  v("tag", x.tag);
  v("events", x.events);
  v("closed", x.closed);
}

struct WireBatch {
  std::vector<WireEvent> events;
  std::vector<WireBatchItem> items;
  bool operator==(const WireBatch&) const = default;
};
template <class V>
void describe(V& v, WireBatch& x) {
  v("events", x.events);
  v("items", x.items);
}

/// A RequestBatch or ResponseBatch as it travels: each item's request or response as bytes of
/// its own, so that one that does not decode costs only itself. The bytes go under the key
/// the decoded payload had before (`Key`: "request" or "response"), so a build that expects
/// the payload itself there fails to decode the batch instead of reading every item as empty.
inline constexpr char kRequestKey[] = "request";
inline constexpr char kResponseKey[] = "response";
template <const auto& Key>
struct WireItem {
  uint64_t id = 0;
  std::string bytes;
  bool operator==(const WireItem&) const = default;
};
template <class V, const auto& Key>
void describe(V& v, WireItem<Key>& x) {
  v("id", x.id, api::keep_zero);
  v(Key, x.bytes);
}

template <const auto& Key>
struct WireItems {
  std::vector<WireItem<Key>> items;
  bool operator==(const WireItems&) const = default;
};
template <class V, const auto& Key>
void describe(V& v, WireItems<Key>& x) {
  v("items", x.items);
}

namespace {

template <class T>
std::string encode(const T& x) {
  msgpack::sbuffer buf;
  api::msgpack_codec::Packer p(buf);
  api::msgpack_codec::pack(p, x);
  return std::string(buf.data(), buf.size());
}

/// Decodes `bytes` into `x`; on failure `why` (where given) says what was wrong and where.
template <class T>
bool decode(std::string_view bytes, T& x, std::string* why = nullptr) {
  try {
    auto h = msgpack::unpack(bytes.data(), bytes.size(), api::msgpack_codec::reference_input,
                             nullptr, api::msgpack_codec::unpack_limits(bytes.size()));
    api::msgpack_codec::DecodeState st;
    if (api::msgpack_codec::unpack(h.get(), x, st)) return true;
    if (why) *why = st.message();
    return false;
  } catch (const std::exception& e) {  // msgpack-c throws on malformed input
    if (why) *why = e.what();
    return false;
  }
}

WireEvent to_wire(const WatchEvent& e) {
  WireEvent we{static_cast<uint8_t>(e.type), e.revision, {}, {}, {}, e.error};
  if (e.object) {
    const auto& t = e.object->type();
    we.api_version = t.api_version();
    we.kind = t.kind;
    if (e.encoded) we.object = *e.encoded;
    else t.to_msgpack(*e.object, we.object);
  }
  return we;
}

/// Null when the event names a kind this build does not know or its object does not decode;
/// `why` then says which (the watch's end carries it: undecodable_event()).
WatchEventPtr from_wire(WireEvent& e, std::string& why) {
  auto ev = std::make_shared<WatchEvent>();
  ev->type = static_cast<WatchEvent::Type>(e.type);
  ev->revision = e.revision;
  if (!e.kind.empty()) {
    const auto* t = api::Registry::builtin().by_kind(e.api_version, e.kind);
    if (!t) {
      why = "it names kind \"" + e.kind + "\" of \"" + e.api_version +
            "\", which this process does not know (is the API server of another build?)";
      return nullptr;
    }
    auto obj = t->from_msgpack(e.object);
    if (!obj) {
      why = "its " + e.kind + " object is malformed: " + obj.error().message;
      return nullptr;
    }
    ev->object = api::ObjectPtr(std::move(*obj));
    ev->encoded = std::make_shared<const std::string>(std::move(e.object));
  }
  ev->error = std::move(e.error);
  return ev;
}

/// What a watch gets in place of an event that did not decode (`why`: from_wire), and after
/// which it is over: its watcher starts again from a list (as after any error), instead of
/// silently missing the event, and the process's other watches keep theirs. The watcher logs
/// the reason with the watch's end.
WatchEventPtr undecodable_event(const std::string& why) {
  auto ev = std::make_shared<WatchEvent>();
  ev->type = WatchEvent::Type::error;
  ev->error = api::internal_error("a watch event could not be decoded: " + why);
  return ev;
}

/// The events of a wire message, each decoded once; an event that did not decode is null,
/// with its reason at the same index of `why`.
struct DecodedEvents {
  std::vector<WatchEventPtr> events;
  std::vector<std::string> why;
  explicit DecodedEvents(std::vector<WireEvent>& wire) {
    events.reserve(wire.size());
    for (auto& e : wire) {
      std::string reason;
      events.push_back(from_wire(e, reason));
      if (!events.back()) {
        why.resize(events.size());
        why.back() = std::move(reason);
      }
    }
  }
};

/// `x`'s events from the events `indexes` name in `decoded`: up to the first that did not
/// decode, which ends the watch with undecodable_event().
bool take_events(const DecodedEvents& decoded, const std::vector<uint32_t>& indexes,
                 WatchEvents& x) {
  const auto& events = decoded.events;
  x.events.reserve(indexes.size());
  for (uint32_t i : indexes) {
    if (i >= events.size()) return false;
    if (!events[i]) {
      x.events.push_back(undecodable_event(decoded.why[i]));
      x.closed = true;
      break;
    }
    x.events.push_back(events[i]);
  }
  return true;
}

/// A batch with each item's payload (its `field`) encoded on its own.
template <const auto& Key, class Batch, class Payload>
std::string encode_items(const Batch& x, Payload Batch::Item::*field) {
  WireItems<Key> w;
  w.items.reserve(x.items.size());
  for (const auto& item : x.items) w.items.push_back({item.id, encode(item.*field)});
  return encode(w);
}

/// The items of a batch, each payload decoded on its own: one that does not decode is left
/// default and handed to `failed` with the reason, and costs no other item.
template <const auto& Key, class Batch, class Payload, class Failed>
bool decode_items(std::string_view bytes, Batch& x, Payload Batch::Item::*field, Failed failed) {
  WireItems<Key> w;
  if (!decode(bytes, w)) return false;
  x.items.clear();
  x.items.reserve(w.items.size());
  for (auto& item : w.items) {
    auto& out = x.items.emplace_back();
    out.id = item.id;
    std::string why;
    if (!decode(item.bytes, out.*field, &why)) {
      out.*field = Payload{};
      failed(out, why);
    }
  }
  return true;
}

}  // namespace

std::string wire_encode(const Request& x) { return encode(x); }
std::string wire_encode(const Response& x) { return encode(x); }
std::string wire_encode(const WatchRequest& x) { return encode(x); }
std::string wire_encode(const RequestBatch& x) {
  return encode_items<kRequestKey>(x, &RequestBatch::Item::request);
}
std::string wire_encode(const ResponseBatch& x) {
  return encode_items<kResponseKey>(x, &ResponseBatch::Item::response);
}
std::string wire_encode(const WatchEvents& x) {
  WireEvents w{x.watch_id, x.tag, {}, x.closed};
  for (const auto& e : x.events) w.events.push_back(to_wire(*e));
  return encode(w);
}
std::string wire_encode(const WatchEventsBatch& x) {
  WireBatch w;
  // The hub hands every watch the same shared event: one entry per event, by address.
  std::unordered_map<const WatchEvent*, uint32_t> index;
  for (const auto& item : x.items) {
    WireBatchItem& out = w.items.emplace_back(WireBatchItem{item.watch_id, item.tag, {}, item.closed});
    for (const auto& e : item.events) {
      auto [it, fresh] = index.try_emplace(e.get(), static_cast<uint32_t>(w.events.size()));
      if (fresh) w.events.push_back(to_wire(*e));
      out.events.push_back(it->second);
    }
  }
  return encode(w);
}

bool wire_decode(std::string_view bytes, Request& x) { return decode(bytes, x); }
bool wire_decode(std::string_view bytes, Response& x) { return decode(bytes, x); }
bool wire_decode(std::string_view bytes, WatchRequest& x) { return decode(bytes, x); }
bool wire_decode(std::string_view bytes, RequestBatch& x) {
  return decode_items<kRequestKey>(
      bytes, x, &RequestBatch::Item::request, [](RequestBatch::Item& item, const std::string& why) {
        item.undecodable = api::bad_request(
            "the request could not be decoded (malformed, or naming a kind this API server "
            "does not know: is the process that sent it of another build?): " +
            why);
      });
}
bool wire_decode(std::string_view bytes, ResponseBatch& x) {
  return decode_items<kResponseKey>(
      bytes, x, &ResponseBatch::Item::response,
      [](ResponseBatch::Item& item, const std::string& why) {
        item.response.error = api::internal_error(
            "the API server's answer could not be decoded (malformed, or naming a kind this "
            "process does not know: is the API server of another build?): " +
            why);
      });
}
bool wire_decode(std::string_view bytes, WatchEvents& x) {
  WireEvents w;
  if (!decode(bytes, w)) return false;
  x.watch_id = w.watch_id;
  x.tag = w.tag;
  x.closed = w.closed;
  x.events.clear();
  const DecodedEvents decoded(w.events);
  std::vector<uint32_t> indexes(decoded.events.size());
  for (uint32_t i = 0; i < indexes.size(); ++i) indexes[i] = i;
  return take_events(decoded, indexes, x);
}
bool wire_decode(std::string_view bytes, WatchEventsBatch& x) {
  WireBatch w;
  if (!decode(bytes, w)) return false;
  // Each event decoded once and shared by the watches that saw it, as in the sender.
  const DecodedEvents decoded(w.events);
  x.items.clear();
  x.items.reserve(w.items.size());
  for (auto& item : w.items) {
    WatchEvents& out = x.items.emplace_back();
    out.watch_id = item.watch_id;
    out.tag = item.tag;
    out.closed = item.closed;
    if (!take_events(decoded, item.events, out)) return false;
  }
  return true;
}

void register_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<Request>("kactor.Request");
  cfg.add_message_type<Response>("kactor.Response");
  cfg.add_message_type<WatchRequest>("kactor.WatchRequest");
  cfg.add_message_type<WatchEvents>("kactor.WatchEvents");
  cfg.add_message_type<WatchEventsBatch>("kactor.WatchEventsBatch");
  cfg.add_message_type<RequestBatch>("kactor.RequestBatch");
  cfg.add_message_type<ResponseBatch>("kactor.ResponseBatch");
}

}  // namespace kactor::apiserver
