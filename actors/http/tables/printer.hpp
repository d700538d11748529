// What a printer is: the columns of one kind's Table and the function that fills a row.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/object.hpp"
#include "api/time/clock.hpp"

namespace kactor::http::tables {

/// One meta.k8s.io/v1 TableColumnDefinition. Names are upstream's ("Name", "Nominated Node"):
/// kubectl prints them upper-cased.
struct Column {
  std::string name;
  std::string type;    ///< "string", "integer", "boolean", "date"
  std::string format;  ///< "name" for the column kubectl uses as the object's name
  std::string description;
  int priority = 0;  ///< 1: shown only by `kubectl get -o wide`
};

/// The cells of one row and, for pods that have ended, its conditions (TableRowCondition).
struct RowCells {
  nlohmann::json cells = nlohmann::json::array();
  nlohmann::json conditions;  ///< null: none
};

/// Fills `row` for `object` (which is of the printer's kind) at time `now`. The server always
/// prints the wide cells: kubectl hides the priority-1 columns itself.
using RowPrinter = void (*)(const api::Object& object, TimePoint now, RowCells& row);

/// The Table of one kind.
struct Printer {
  std::vector<Column> columns;
  RowPrinter print = nullptr;
};

// -- columns every printer shares ------------------------------------------------

/// "Name", format "name".
Column name_column();
/// "Age": the time since creationTimestamp.
Column age_column();

}  // namespace kactor::http::tables
