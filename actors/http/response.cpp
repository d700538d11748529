#include "actors/http/response.hpp"

#include <mutex>
#include <optional>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "actors/http/body.hpp"
#include "actors/http/status_json.hpp"
#include "api/codec/object_codec.hpp"
#include "actors/http/tables/table.hpp"

namespace kactor::http {
namespace {

tables::IncludeObject include_of(const std::string& s) {
  if (s == "None") return tables::IncludeObject::none;
  if (s == "Object") return tables::IncludeObject::object;
  return tables::IncludeObject::metadata;
}

nlohmann::json table_of(const api::TypeInfo& type, const std::vector<api::ObjectPtr>& items,
                        const std::string& rv, const std::string& cont,
                        const ResponseFormat& format, TimePoint now) {
  tables::TableOptions options;
  options.include = include_of(format.include_object);
  auto t = tables::render_table(type, items, rv, cont, options, now);
  t["apiVersion"] = "meta.k8s.io/" + format.table_version;
  return t;
}

HttpResponse json_response(int code, const nlohmann::json& doc) {
  // Invalid UTF-8 in a stored string becomes U+FFFD instead of an exception mid-answer.
  return HttpResponse{code, "application/json",
                      doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

}  // namespace

ResponseFormat response_format(std::string_view accept, const std::string& include_object) {
  ResponseFormat out;
  out.include_object = include_object;
  for (const auto& range : parse_accept(accept)) {
    const auto v = range.param("v");
    if (range.param("as") == "Table" && range.param("g") == "meta.k8s.io" &&
        (v == "v1" || v == "v1beta1") && !range.refused() &&
        (range.type == "application/json" || range.type == "*/*")) {
      out.table = true;
      out.table_version = std::string(v);
      break;
    }
  }
  return out;
}

nlohmann::json encode_for(const api::Object& object, const ResponseFormat& format) {
  auto doc = api::encode_json(object);
  if (format.served) format.served->from_stored(doc);
  return doc;
}

HttpResponse status_response(const api::Status& status) {
  int code = status.code >= 100 && status.code <= 599 ? status.code : 500;
  return json_response(code, status_json(status));
}

HttpResponse object_response(int code, const api::Object& object, const ResponseFormat& format,
                             TimePoint now, const std::vector<std::string>& warnings) {
  HttpResponse r;
  if (format.table) {
    r = json_response(code, table_of(object.type(), {api::ObjectPtr(object.type().clone(object))},
                                     object.metadata.resource_version, "", format, now));
  } else {
    r = json_response(code, encode_for(object, format));
  }
  for (const auto& w : warnings) r.headers.emplace_back("Warning", warning_header(w));
  return r;
}

HttpResponse list_response(const api::TypeInfo& type, const apiserver::Response& list,
                           const ResponseFormat& format, TimePoint now) {
  if (format.table)
    return json_response(200, table_of(type, list.items, list.resource_version,
                                       list.continue_token, format, now));
  const auto api_version =
      format.served ? format.served->api_version() : type.api_version();
  nlohmann::json doc = {{"kind", type.kind + "List"}, {"apiVersion", api_version}};
  auto& meta = doc["metadata"] = nlohmann::json::object();
  meta["resourceVersion"] = list.resource_version;
  if (!list.continue_token.empty()) meta["continue"] = list.continue_token;
  if (list.remaining_item_count >= 0 && !list.continue_token.empty())
    meta["remainingItemCount"] = list.remaining_item_count;
  auto& items = doc["items"] = nlohmann::json::array();
  for (const auto& o : list.items) items.push_back(encode_for(*o, format));
  return json_response(200, doc);
}

std::string success_status(const std::string& name, const std::string& group,
                           const std::string& resource) {
  return success_status_json(name, group, resource, "").dump();
}

namespace {

/// The JSON line of each recent event, so a change seen by a thousand watchers is encoded once,
/// not a thousand times (its encoding dominated a watch fan-out's profile). Keyed by the shared
/// event; an entry whose event is gone is never returned, as the weak pointer tells.
class EventLineCache {
 public:
  /// Shared, not copied: a thousand watchers append the same bytes to their streams.
  std::shared_ptr<const std::string> find(const apiserver::WatchEventPtr& event) {
    std::lock_guard lock(mutex_);
    auto it = lines_.find(event.get());
    if (it == lines_.end() || it->second.event.lock() != event) return nullptr;
    return it->second.line;
  }
  void add(const apiserver::WatchEventPtr& event, std::shared_ptr<const std::string> line) {
    std::lock_guard lock(mutex_);
    if (lines_.size() >= kCapacity) lines_.clear();  // simple bound: recent events are hot
    lines_[event.get()] = Entry{event, std::move(line)};
  }

 private:
  static constexpr size_t kCapacity = 4096;
  struct Entry {
    std::weak_ptr<const apiserver::WatchEvent> event;
    std::shared_ptr<const std::string> line;
  };
  std::mutex mutex_;
  std::unordered_map<const apiserver::WatchEvent*, Entry> lines_;
};

EventLineCache& event_line_cache() {
  static EventLineCache cache;
  return cache;
}

}  // namespace

void append_watch_event_line(std::string& out, const api::TypeInfo& type,
                             const apiserver::WatchEventPtr& event, const ResponseFormat& format,
                             TimePoint now) {
  // Tables carry AGE cells (they depend on `now`) and per-request options, other served
  // versions another encoding: never shared.
  if (!event) return;
  if (format.table || format.served) {
    out += watch_event_line(type, *event, format, now);
    return;
  }
  auto line = event_line_cache().find(event);
  if (!line) {
    line = std::make_shared<const std::string>(watch_event_line(type, *event, format, now));
    event_line_cache().add(event, line);
  }
  out += *line;
}

std::string watch_event_line(const api::TypeInfo& type, const apiserver::WatchEvent& event,
                             const ResponseFormat& format, TimePoint now) {
  if (event.type == apiserver::WatchEvent::Type::error)
    return watch_error_line(event.error.value_or(api::internal_error("watch failed")));
  nlohmann::json doc;
  switch (event.type) {
    case apiserver::WatchEvent::Type::added: doc["type"] = "ADDED"; break;
    case apiserver::WatchEvent::Type::modified: doc["type"] = "MODIFIED"; break;
    case apiserver::WatchEvent::Type::deleted: doc["type"] = "DELETED"; break;
    default: doc["type"] = "BOOKMARK"; break;
  }
  if (!event.object) {
    doc["object"] = nlohmann::json::object();
  } else if (format.table && event.type != apiserver::WatchEvent::Type::bookmark) {
    doc["object"] = table_of(type, {event.object}, event.object->metadata.resource_version, "",
                             format, now);
  } else {
    doc["object"] = encode_for(*event.object, format);
  }
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string watch_error_line(const api::Status& status) {
  nlohmann::json doc = {{"type", "ERROR"}, {"object", status_json(status)}};
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string warning_header(const std::string& text) {
  std::string quoted;
  for (char c : text) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return "299 - \"" + quoted + "\"";
}

}  // namespace kactor::http
