// Shared by the validation tests: a table of manifests (with the old object for updates)
// and the exact causes upstream reports for each, checked after defaulting as the API
// server does.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "tests/api/support/manifests.hpp"

namespace kactor::api::testing {

/// Decodes, defaults and validates as the API server does; `old_text` makes it an update.
inline std::vector<StatusCause> causes_for(std::string_view text, std::string_view old_text = {}) {
  auto obj = load(text);
  obj->type().set_defaults(*obj);
  if (old_text.empty()) return obj->type().validate(*obj, nullptr);
  auto old = load(old_text);
  old->type().set_defaults(*old);
  return obj->type().validate(*obj, old.get());
}

inline std::string describe_causes(const std::vector<StatusCause>& causes) {
  std::string out;
  for (const auto& c : causes) out += "\n  " + c.field + ": " + c.message;
  return out.empty() ? " (none)" : out;
}

struct Expected {
  std::string field;
  std::string message;
};

inline void check_causes(const std::vector<StatusCause>& causes,
                         const std::vector<Expected>& expected) {
  INFO("got:" << describe_causes(causes));
  REQUIRE(causes.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CHECK(causes[i].field == expected[i].field);
    CHECK(causes[i].message == expected[i].message);
  }
}

/// One row of a validation table.
struct Case {
  std::string name;
  std::string object;
  std::string old;  // empty: create
  std::vector<Expected> expected;
};

/// Checks each row in its own SECTION (named after the row).
inline void check_cases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    SECTION(c.name) {
      check_causes(causes_for(c.object, c.old), c.expected);
    }
  }
}

inline constexpr const char* kDns1123Label =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
inline constexpr const char* kDns1035Label =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
inline constexpr const char* kDns1123Subdomain =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

}  // namespace kactor::api::testing
