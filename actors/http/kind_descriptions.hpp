// One-line descriptions of the kinds, for the OpenAPI documents (`kubectl explain <kind>` prints
// them). Written for kactor, in the spirit of upstream's type comments.
#pragma once

#include <string>
#include <string_view>

namespace kactor::http {

/// The description of a kind by group ("" core) and kind name; a generic sentence naming the
/// kind when there is no written one, so a newly registered kind still explains itself.
std::string kind_description(std::string_view group, std::string_view kind);

}  // namespace kactor::http
