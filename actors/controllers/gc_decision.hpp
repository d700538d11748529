// The garbage collector's decisions, as plain functions of what it has observed (no CAF,
// no API calls), so each rule can be tested alone. The actor (garbage_collector.cpp)
// gathers the facts, asks these functions what to do, and does it.
#pragma once

#include <string>
#include <vector>

#include "api/object.hpp"

namespace kactor::actors::controllers::gc {

inline constexpr const char* kOrphanFinalizer = "orphan";
inline constexpr const char* kForegroundFinalizer = "foregroundDeletion";

bool has_finalizer(const api::ObjectMeta& meta, const std::string& finalizer);
/// Being deleted in the foreground: dependents go first (deletionTimestamp + foregroundDeletion).
bool deleting_dependents(const api::ObjectMeta& meta);
/// Being deleted with Orphan propagation: dependents lose their reference first.
bool orphaning_dependents(const api::ObjectMeta& meta);

/// What an owner reference points at, as far as the collector can tell.
enum class OwnerState {
  solid,                 ///< exists with the referenced uid and is not deleting dependents
  dangling,              ///< absent, or the name now belongs to an object with another uid
  waiting_for_dependents ///< exists, deleting in the foreground: its dependents must go
};

struct ClassifiedOwner {
  api::OwnerReference ref;
  OwnerState state = OwnerState::solid;
};

/// What to do with an object that has owner references (upstream's attemptToDeleteItem).
struct Decision {
  enum class Action {
    keep,               ///< at least one solid owner, no reference to drop
    drop_references,    ///< keep it, but remove the references in `owner_uids`
    remove,             ///< delete it with `propagation`
  };
  Action action = Action::keep;
  std::vector<std::string> owner_uids;
  std::string propagation;  ///< "Background", "Foreground" or "Orphan"
  /// Before a foreground delete: set blockOwnerDeletion=false on the references to these
  /// owners, because a dependent of this object is itself deleting dependents and would
  /// otherwise wait on a cycle (upstream's "unblock" step).
  std::vector<std::string> unblock_owner_uids;
};

/// `has_dependents`: some object names `item` as its owner; `a_dependent_deletes_dependents`:
/// one of those is itself being deleted in the foreground.
Decision decide(const api::Object& item, const std::vector<ClassifiedOwner>& owners,
                bool has_dependents, bool a_dependent_deletes_dependents);

/// The propagation a dependent is deleted with when it has no owner left: the one its
/// own finalizers already ask for, else Background.
std::string propagation_from_finalizers(const api::ObjectMeta& meta);

/// The JSON patch (RFC 6902) that removes the references to `owner_uids` from `obj`, with a
/// test of the current list first, so a concurrent change of the references fails it.
std::string drop_references_patch(const api::Object& obj, const std::vector<std::string>& owner_uids);
/// The JSON patch that sets blockOwnerDeletion=false on the references to `owner_uids`.
std::string unblock_references_patch(const api::Object& obj,
                                     const std::vector<std::string>& owner_uids);
/// The JSON patch that removes `finalizer` from metadata.finalizers (tested first).
std::string remove_finalizer_patch(const api::Object& obj, const std::string& finalizer);

/// Why an owner reference of `dependent` is invalid, or "" if it is not: a cluster-scoped
/// object cannot be owned by a namespaced one (upstream's OwnerRefInvalidNamespace event).
std::string invalid_namespace_message(const api::Object& dependent, const api::OwnerReference& ref,
                                      bool owner_kind_namespaced);

}  // namespace kactor::actors::controllers::gc
