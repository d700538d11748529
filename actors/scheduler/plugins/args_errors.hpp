// How a plugin's args parser reports what is wrong: upstream's aggregate of field errors
// ("defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range (0, inf)"), one
// bare and several as "[a, b]", with the causes kept for a caller that prefixes the path
// of the pluginConfig entry.
#pragma once

#include <string>
#include <vector>

#include "api/status.hpp"

namespace kactor::scheduler::plugins {

inline api::Status args_error(std::vector<api::StatusCause> causes) {
  std::string listed;
  for (size_t i = 0; i < causes.size(); ++i) {
    if (i > 0) listed += ", ";
    // An unknown field names itself in the message, as a strict decoder's error does.
    const bool bare = causes[i].field.empty() || causes[i].reason == "FieldValueUnknown";
    listed += bare ? causes[i].message : causes[i].field + ": " + causes[i].message;
  }
  if (causes.size() != 1) listed = "[" + listed + "]";
  auto status = api::bad_request(listed);
  status.details.causes = std::move(causes);
  return status;
}

}  // namespace kactor::scheduler::plugins
