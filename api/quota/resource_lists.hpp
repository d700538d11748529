// Arithmetic on ResourceLists as quota needs it (upstream's quota helpers): one home for the
// sums, masks and comparisons the admission plugin and the quota controller share.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "api/quantity/quantity.hpp"

namespace kactor::api::quota {

using ResourceNames = std::set<std::string>;

ResourceNames names_of(const ResourceList& list);
/// a + b, per resource (a resource in only one list keeps its amount).
ResourceList add(const ResourceList& a, const ResourceList& b);
/// a - b, per resource, clamped at zero (upstream SubtractWithNonNegativeResult).
ResourceList subtract_non_negative(const ResourceList& a, const ResourceList& b);
/// Only the entries of `list` named in `names`.
ResourceList mask(const ResourceList& list, const ResourceNames& names);
/// The entries with a non-zero amount.
ResourceList remove_zeros(const ResourceList& list);
/// The resources of `used` above their amount in `hard` (empty: all fit). A resource that
/// `hard` does not name is not limited.
ResourceNames exceeded(const ResourceList& used, const ResourceList& hard);
/// Resources with a negative amount.
ResourceNames negative(const ResourceList& list);
/// Equal names and amounts (formats aside).
bool equal(const ResourceList& a, const ResourceList& b);

/// "cpu=1,memory=1Gi": sorted by name, as upstream's prettyPrint.
std::string pretty(const ResourceList& list);
/// "cpu,memory": sorted, as upstream's prettyPrintResourceNames.
std::string pretty(const ResourceNames& names);

}  // namespace kactor::api::quota
