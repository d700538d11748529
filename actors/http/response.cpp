#include "actors/http/response.hpp"

#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>

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

std::string dump(const nlohmann::json& doc) {
  // Invalid UTF-8 in a stored string becomes U+FFFD instead of an exception mid-answer.
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpResponse json_response(int code, const nlohmann::json& doc) {
  return HttpResponse{code, "application/json", dump(doc)};
}

/// Appends `object` as JSON in the answer's version. The stored version, what nearly every
/// request asks for, is written straight to text (api::append_json_text); another served
/// version converts the tree.
void append_object(std::string& out, const api::Object& object, const ResponseFormat& format) {
  if (format.served) out += dump(encode_for(object, format));
  else api::append_json_text(object, out);
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
    r = HttpResponse{code, "application/json", {}};
    append_object(r.body, object, format);
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
  nlohmann::json meta = nlohmann::json::object();
  meta["resourceVersion"] = list.resource_version;
  if (!list.continue_token.empty()) meta["continue"] = list.continue_token;
  if (list.remaining_item_count >= 0 && !list.continue_token.empty())
    meta["remainingItemCount"] = list.remaining_item_count;
  HttpResponse r{200, "application/json", {}};
  auto& out = r.body;
  out += "{\"kind\":";
  out += dump(type.kind + "List");
  out += ",\"apiVersion\":";
  out += dump(api_version);
  out += ",\"metadata\":";
  out += dump(meta);
  out += ",\"items\":[";
  for (size_t i = 0; i < list.items.size(); ++i) {
    if (i > 0) out += ',';
    append_object(out, *list.items[i], format);
  }
  out += "]}";
  return r;
}

std::string success_status(const std::string& name, const std::string& group,
                           const std::string& resource) {
  return success_status_json(name, group, resource, "").dump();
}

namespace {

/// The JSON lines of the events this thread encoded lately, so a change seen by a thousand
/// watchers is encoded once per thread, not a thousand times (its encoding dominated a watch
/// fan-out's profile). Per thread, so finding a line takes no lock and touches no counter
/// shared with other threads: a watch multiplexer hands one round's events to hundreds of
/// streams in a row. It holds more lines than a round that fell far behind has events (a
/// multiplexer merges the rounds it missed), so each stream finds the lines the one before it
/// encoded. An entry keeps a weak reference: the event is not kept alive, and since a weak
/// reference keeps its control block, an entry whose event is gone can never match a newer
/// event at the same address (compared by owner, which needs no atomic operation).
class RecentLines {
 public:
  SharedBytes find(const apiserver::WatchEventPtr& event) const {
    auto it = lines_.find(event.get());
    if (it == lines_.end() || !same_owner(it->second.event, event)) return nullptr;
    return it->second.line;
  }
  void add(const apiserver::WatchEventPtr& event, SharedBytes line) {
    if (lines_.size() >= kCapacity) lines_.clear();  // a simple bound: recent events are hot
    lines_[event.get()] = Entry{event, std::move(line)};
  }

 private:
  static constexpr size_t kCapacity = 1024;
  struct Entry {
    std::weak_ptr<const apiserver::WatchEvent> event;
    SharedBytes line;
  };
  static bool same_owner(const std::weak_ptr<const apiserver::WatchEvent>& a,
                         const apiserver::WatchEventPtr& b) {
    return !a.owner_before(b) && !b.owner_before(a);
  }
  std::unordered_map<const apiserver::WatchEvent*, Entry> lines_;
};

/// One event's line, shared when the format allows it. Tables carry AGE cells (they depend on
/// `now`) and per-request options, other served versions another encoding: never shared.
SharedBytes event_line(const api::TypeInfo& type, const apiserver::WatchEventPtr& event,
                       const ResponseFormat& format, TimePoint now) {
  if (format.table || format.served)
    return std::make_shared<const std::string>(watch_event_line(type, *event, format, now));
  thread_local RecentLines recent;
  if (auto line = recent.find(event)) return line;
  auto line = std::make_shared<const std::string>(watch_event_line(type, *event, format, now));
  recent.add(event, line);
  return line;
}

}  // namespace

SharedBytes watch_events_chunk(const api::TypeInfo& type,
                               const std::vector<apiserver::WatchEventPtr>& events,
                               const ResponseFormat& format, TimePoint now) {
  SharedBytes only;
  std::string joined;
  for (const auto& ev : events) {
    if (!ev) continue;
    auto line = event_line(type, ev, format, now);
    if (!only && joined.empty()) {
      only = std::move(line);  // one event: its line as it is, no copy
      continue;
    }
    if (only) joined = *std::exchange(only, nullptr);
    joined += *line;
  }
  if (only) return only;
  return std::make_shared<const std::string>(std::move(joined));
}

std::string watch_event_line(const api::TypeInfo& type, const apiserver::WatchEvent& event,
                             const ResponseFormat& format, TimePoint now) {
  if (event.type == apiserver::WatchEvent::Type::error)
    return watch_error_line(event.error.value_or(api::internal_error("watch failed")));
  std::string line = "{\"type\":";
  switch (event.type) {
    case apiserver::WatchEvent::Type::added: line += "\"ADDED\""; break;
    case apiserver::WatchEvent::Type::modified: line += "\"MODIFIED\""; break;
    case apiserver::WatchEvent::Type::deleted: line += "\"DELETED\""; break;
    default: line += "\"BOOKMARK\""; break;
  }
  line += ",\"object\":";
  if (!event.object) {
    line += "{}";
  } else if (format.table && event.type != apiserver::WatchEvent::Type::bookmark) {
    line += dump(table_of(type, {event.object}, event.object->metadata.resource_version, "",
                          format, now));
  } else {
    append_object(line, *event.object, format);
  }
  line += "}\n";
  return line;
}

std::string watch_error_line(const api::Status& status) {
  return "{\"type\":\"ERROR\",\"object\":" + dump(status_json(status)) + "}\n";
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
