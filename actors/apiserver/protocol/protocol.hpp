// The API server's message vocabulary: requests, responses and watch events.
// Plain structs described once (describe()), so the CAF wire format derives
// from the same msgpack codec as the store. No CAF in this header.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/object.hpp"

namespace kactor::apiserver {

/// What a request asks for. Values are stable: they travel on the wire.
enum class Verb : uint8_t {
  get = 0,
  list = 1,
  create = 2,
  update = 3,
  update_status = 4,
  patch = 5,
  patch_status = 6,
  remove = 7,  // DELETE
  bind = 8,    // pods/binding
  finalize = 9,  // namespaces/finalize: replaces spec.finalizers
};

const char* to_string(Verb v);

/// One API call. Fields not used by the verb are left empty.
struct Request {
  Verb verb = Verb::get;
  std::string group;       // "" for the core group
  std::string resource;    // plural, "pods"
  std::string namespace_;  // empty for cluster-scoped kinds or all namespaces (list/watch)
  std::string name;
  api::ObjectPtr object;   // create / update / bind (a Binding) / finalize

  // -- read options --
  std::string resource_version;        // list/get/watch: "" or "0" = any, else not older than
  std::string resource_version_match;  // "", "NotOlderThan", "Exact"
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 0;
  std::string continue_token;

  // -- write options --
  std::string patch_type;  // application/merge-patch+json, ...
  std::string patch_body;
  bool dry_run = false;
  bool strict = false;     // fieldValidation=Strict for patches

  // -- delete options --
  std::optional<int64_t> grace_period_seconds;
  std::string propagation_policy;  // Orphan, Background, Foreground
  std::string precondition_uid;
  std::string precondition_resource_version;

  bool operator==(const Request&) const = default;
};

/// The answer to a Request: an error, or an object, or a list.
struct Response {
  std::optional<api::Status> error;
  api::ObjectPtr object;
  std::vector<api::ObjectPtr> items;
  std::string resource_version;  // list: the revision the list reflects
  std::string continue_token;    // list: set when more items remain
  int64_t remaining_item_count = -1;
  uint64_t watch_id = 0;         // watch: the id events and acknowledgements carry

  bool ok() const { return !error.has_value(); }
};

/// Opens a watch; events go to the requesting actor as WatchEvents messages.
struct WatchRequest {
  std::string group;
  std::string resource;
  std::string namespace_;
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;  // "" = from now (after a synthetic list of ADDED); "0" likewise
  bool allow_bookmarks = false;
  /// Send the current matching objects as ADDED first (kubectl's watch of one object, and
  /// watches from resourceVersion "0" or "").
  bool send_initial = false;
  /// Chosen by the watcher and echoed in every WatchEvents, so events that arrive before
  /// the reply can be told apart from those of an earlier watch.
  uint64_t tag = 0;
  /// The watcher also takes WatchEventsBatch: its events may share one message with those of
  /// its other batched watches (the HTTP server's watch streams; a remote process's stand-in,
  /// for all the watches of its process).
  bool batched = false;
};

/// One change seen by a watcher. Shared, immutable: encoded once, sent to many.
struct WatchEvent {
  enum class Type : uint8_t { added = 0, modified = 1, deleted = 2, bookmark = 3, error = 4 };
  Type type = Type::added;
  uint64_t revision = 0;
  api::ObjectPtr object;            // for bookmarks: a bare object with only resourceVersion
  std::optional<api::Status> error; // for Type::error (e.g. 410 Expired)
  /// The object's msgpack encoding (the bytes the store holds), so that sending the event
  /// to other hosts copies bytes instead of encoding it again per watcher.
  std::shared_ptr<const std::string> encoded;
};
using WatchEventPtr = std::shared_ptr<const WatchEvent>;

const char* to_string(WatchEvent::Type t);

/// What a watcher receives: the events of one committed batch, in revision order.
struct WatchEvents {
  uint64_t watch_id = 0;
  uint64_t tag = 0;
  std::vector<WatchEventPtr> events;
  /// The watch is over (after an error event, or cancelled); no more messages follow.
  bool closed = false;
};

/// The WatchEvents of one round of delivery (a committed batch, a bookmark tick) for every
/// batched watch of one watcher, in one message: the HTTP server's thousand watch streams, or
/// the thousand kubelets of a remote node process, cost a message per round instead of a
/// thousand. On the wire each event travels once, however many of the watches saw it.
struct WatchEventsBatch {
  std::vector<WatchEvents> items;
};

// -- descriptions for the wire codec ----------------------------------------------

template <class V>
void describe(V& v, Request& x) {
  auto verb = static_cast<uint8_t>(x.verb);
  v("verb", verb, api::keep_zero);
  x.verb = static_cast<Verb>(verb);
  v("group", x.group);
  v("resource", x.resource);
  v("namespace", x.namespace_);
  v("name", x.name);
  v("object", x.object);
  v("resourceVersion", x.resource_version);
  v("resourceVersionMatch", x.resource_version_match);
  v("labelSelector", x.label_selector);
  v("fieldSelector", x.field_selector);
  v("limit", x.limit);
  v("continue", x.continue_token);
  v("patchType", x.patch_type);
  v("patchBody", x.patch_body);
  v("dryRun", x.dry_run);
  v("strict", x.strict);
  v("gracePeriodSeconds", x.grace_period_seconds);
  v("propagationPolicy", x.propagation_policy);
  v("preconditionUid", x.precondition_uid);
  v("preconditionResourceVersion", x.precondition_resource_version);
}

}  // namespace kactor::apiserver
