// The status conditions of a terminating namespace, as upstream's namespace controller
// writes them (plain code, tested alone). The controller (namespace_controller.cpp) fills
// a DeletionReport from one pass over the namespace's content.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "api/types/namespace.hpp"

namespace kactor::actors::controllers {

/// What one deletion pass found.
struct NamespaceDeletionReport {
  /// "<resource>.<group>" → objects still there ("pods." for the core group, as upstream).
  std::map<std::string, int> remaining;
  /// finalizer → objects still there that carry it.
  std::map<std::string, int> finalizers;
  /// Lists or deletes that failed, one line each.
  std::vector<std::string> errors;

  bool done() const { return remaining.empty() && errors.empty(); }
};

/// The five deletion conditions for `report` (Discovery, GroupVersionParsing,
/// ContentFailure, ContentRemaining, FinalizersRemaining), merged into `current`:
/// a condition's lastTransitionTime moves only when its status changes, other conditions
/// are kept.
std::vector<api::NamespaceCondition> namespace_deletion_conditions(
    const NamespaceDeletionReport& report, const std::vector<api::NamespaceCondition>& current,
    api::Time now);

}  // namespace kactor::actors::controllers
