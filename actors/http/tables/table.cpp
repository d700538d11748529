#include "actors/http/tables/table.hpp"

#include "actors/http/tables/printers.hpp"
#include "api/codec/object_codec.hpp"
#include "api/status.hpp"
#include "api/util/go_format.hpp"

namespace kactor::http::tables {

namespace {

nlohmann::json column_json(const Column& c) {
  // Upstream marshals every field of TableColumnDefinition, empty or not.
  return {{"name", c.name},
          {"type", c.type},
          {"format", c.format},
          {"description", c.description},
          {"priority", c.priority}};
}

/// The row's `object` as ?includeObject asks, or null for none.
nlohmann::json row_object(const api::Object& object, IncludeObject include) {
  switch (include) {
    case IncludeObject::none:
      return nullptr;
    case IncludeObject::object:
      return api::encode_json(object);
    case IncludeObject::metadata:
      break;
  }
  // The metadata is cut from the whole object's JSON: the codec templates are instantiated
  // only in api/kinds/, and this keeps one encoding of metadata for the object and the row.
  auto whole = api::encode_json(object);
  return {{"kind", "PartialObjectMetadata"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", std::move(whole["metadata"])}};
}

}  // namespace

nlohmann::json render_table(const api::TypeInfo& type, const std::vector<api::ObjectPtr>& items,
                            const std::string& resource_version, const std::string& continue_token,
                            const TableOptions& options, TimePoint now) {
  const Printer& printer = printer_for(type);

  nlohmann::json metadata = nlohmann::json::object();
  if (!resource_version.empty()) metadata["resourceVersion"] = resource_version;
  if (!continue_token.empty()) metadata["continue"] = continue_token;

  nlohmann::json columns = nlohmann::json::array();
  if (!options.no_headers)
    for (const auto& c : printer.columns) columns.push_back(column_json(c));

  nlohmann::json rows = nlohmann::json::array();
  for (const auto& item : items) {
    if (!item) continue;
    // An object of another kind would be read through the wrong struct: print it with the
    // columns every kind has rather than misread it.
    const Printer& own = &item->type() == &type ? printer : default_printer();
    RowCells cells;
    own.print(*item, now, cells);
    nlohmann::json row = {{"cells", std::move(cells.cells)}};
    if (!cells.conditions.is_null()) row["conditions"] = std::move(cells.conditions);
    auto object = row_object(*item, options.include);
    if (!object.is_null()) row["object"] = std::move(object);
    rows.push_back(std::move(row));
  }

  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", std::move(metadata)},
          {"columnDefinitions", std::move(columns)},
          {"rows", std::move(rows)}};
}

api::Result<IncludeObject> parse_include_object(const std::string& text) {
  if (text.empty() || text == "Metadata") return IncludeObject::metadata;
  if (text == "None") return IncludeObject::none;
  if (text == "Object") return IncludeObject::object;
  return std::unexpected(
      api::bad_request("unrecognized includeObject value: " + api::util::go_quote(text)));
}

}  // namespace kactor::http::tables
