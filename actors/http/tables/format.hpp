// The text helpers every printer shares: ages as upstream's duration.HumanDuration prints them,
// label maps and label selectors as kubectl shows them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "api/types/meta.hpp"
#include "api/types/values.hpp"

namespace kactor::http::tables {

/// A duration as upstream's duration.HumanDuration: "5s", "3m20s", "45m", "4h", "7h30m",
/// "30h", "2d3h", "9d", "2y30d", "9y". Up to 2 s in the future counts as "0s" (clock skew);
/// further is "<invalid>".
std::string human_duration(Duration d);

/// The AGE of `t` at `now` (upstream translateTimestampSince): "<unknown>" for an unset time.
std::string age(const api::Time& t, TimePoint now);
/// The same for a MicroTime (upstream translateMicroTimestampSince).
std::string age(const api::MicroTime& t, TimePoint now);

/// A label map as "k1=v1,k2=v2" (sorted by key), "<none>" when empty (labels.FormatLabels).
std::string format_labels(const std::map<std::string, std::string>& labels);

/// A label selector as its selector string: "app=web,tier in (a,b),!canary", requirements
/// sorted by key (labels.Selector.String()). An empty selector gives "" (selects everything).
std::string selector_string(const api::LabelSelector& selector);

/// selector_string, "<none>" when empty or absent (metav1.FormatLabelSelector).
std::string format_label_selector(const api::LabelSelector* selector);

/// `items` joined by `separator`.
std::string join(const std::vector<std::string>& items, const std::string& separator);

}  // namespace kactor::http::tables
