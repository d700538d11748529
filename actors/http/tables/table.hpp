// Server-side Tables: what `kubectl get` prints, as a meta.k8s.io/v1 Table document.
//
// Pure code (no CAF, no I/O): the HTTP layer calls render_table for a list answer, and for a
// watch event with the one object of the event.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/object.hpp"
#include "api/time/clock.hpp"

namespace kactor::http::tables {

/// ?includeObject=None|Metadata|Object: what each row's `object` carries.
enum class IncludeObject {
  none,      ///< no `object`
  metadata,  ///< a PartialObjectMetadata (the default; kubectl reads -A's NAMESPACE from it)
  object,    ///< the whole object
};

/// The TableOptions of the request.
struct TableOptions {
  IncludeObject include = IncludeObject::metadata;
  /// ?noHeaders=true (kubectl --no-headers, watches after the first event): no columnDefinitions.
  bool no_headers = false;
};

/// The meta.k8s.io/v1 Table for `items`, all of kind `type`: columnDefinitions (priority 1 for
/// the -o wide columns), one row per item ({cells, object}), metadata.resourceVersion and
/// metadata.continue (each only when non-empty). `now` computes the ages.
nlohmann::json render_table(const api::TypeInfo& type, const std::vector<api::ObjectPtr>& items,
                            const std::string& resource_version, const std::string& continue_token,
                            const TableOptions& options, TimePoint now);

/// The IncludeObject named by an ?includeObject= value ("None", "Metadata", "Object"; "" is
/// Metadata). Anything else is a BadRequest naming includeObject, worded as upstream's.
api::Result<IncludeObject> parse_include_object(const std::string& text);

}  // namespace kactor::http::tables
