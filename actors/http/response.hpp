// How answers are written: objects, lists and watch events as JSON documents, or as
// server-side Tables when the client's Accept header asks for them (kubectl get), and Status
// documents for errors.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "actors/apiserver/protocol/protocol.hpp"
#include "actors/http/exchange.hpp"
#include "api/served_versions.hpp"
#include "api/time/clock.hpp"

namespace kactor::http {

/// What the client accepts, read from its Accept header.
struct ResponseFormat {
  bool table = false;            // as=Table;g=meta.k8s.io;v=v1 (or v1beta1)
  std::string table_version = "v1";
  std::string include_object;    // Tables: None, Metadata (default), Object
  /// The version the request's URL names when it is not the kind's stored one (autoscaling/v1
  /// HorizontalPodAutoscalers): objects are converted to it. nullptr: the stored version.
  const api::ServedVersion* served = nullptr;
  std::string content_type() const { return "application/json"; }
};

/// `object` as JSON in the version `format` asks for.
nlohmann::json encode_for(const api::Object& object, const ResponseFormat& format);

/// Reads an Accept header ("application/json;as=Table;v=v1;g=meta.k8s.io,application/json").
ResponseFormat response_format(std::string_view accept, const std::string& include_object);

HttpResponse status_response(const api::Status& status);
HttpResponse object_response(int code, const api::Object& object, const ResponseFormat& format,
                             TimePoint now, const std::vector<std::string>& warnings);
HttpResponse list_response(const api::TypeInfo& type, const apiserver::Response& list,
                           const ResponseFormat& format, TimePoint now);
/// {"kind":"Status",...,"status":"Success"} for a DELETE that answered no object.
std::string success_status(const std::string& name, const std::string& group,
                           const std::string& resource);

/// One watch event as a line of the stream: {"type":"ADDED","object":{...}}\n.
std::string watch_event_line(const api::TypeInfo& type, const apiserver::WatchEvent& event,
                             const ResponseFormat& format, TimePoint now);
/// The lines of `events` as one chunk of a watch stream. A line is encoded once for all the
/// watchers of a thread that get its event, and a chunk of one event is that shared line.
SharedBytes watch_events_chunk(const api::TypeInfo& type,
                               const std::vector<apiserver::WatchEventPtr>& events,
                               const ResponseFormat& format, TimePoint now);
/// An ERROR event carrying a Status (410 Expired and the like).
std::string watch_error_line(const api::Status& status);

/// A Warning header value as Go's net/http writes one: 299 - "<text>".
std::string warning_header(const std::string& text);

}  // namespace kactor::http
