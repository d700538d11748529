// Field selectors ("metadata.name=x,status.phase!=Failed"), as upstream's fields package.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/status.hpp"

namespace kactor::api::fields {

/// `=` and `==` are the same requirement; `!=` its negation.
enum class Operator { Equals, NotEquals };

/// One `field=value` or `field!=value` term; the value is unescaped.
struct Requirement {
  std::string field;
  Operator op = Operator::Equals;
  std::string value;
  bool operator==(const Requirement&) const = default;
};

/// Looks a field path up on one object; nullopt for a field it does not know.
using FieldGetter = std::function<std::optional<std::string>(std::string_view field)>;

/// A conjunction of field terms. Field names are not checked here: the apiserver validates
/// them per kind ("field label not supported").
class Selector {
 public:
  /// Matches everything.
  Selector() = default;
  static Selector everything() { return Selector(); }
  /// A single `field=value` term.
  static Selector one_term_equal(std::string field, std::string value);
  /// Parses comma-separated terms; in values, `\,` `\=` `\\` are escapes and a bare `,` or `=`
  /// is an error. Empty terms are skipped. Errors are BadRequest with upstream's messages.
  static Result<Selector> parse(std::string_view text);

  /// True when every term holds; a field the getter does not know never matches.
  bool matches(const FieldGetter& get) const;
  /// The value an `=` term requires for `field` (for index lookups), if any.
  std::optional<std::string> exact(std::string_view field) const;
  const std::vector<Requirement>& requirements() const { return requirements_; }
  bool empty() const { return requirements_.empty(); }
  /// Terms joined by ",", values escaped; terms in the order parsed (sorted text order).
  std::string to_string() const;

  bool operator==(const Selector&) const = default;

 private:
  std::vector<Requirement> requirements_;
};

/// Escapes `\`, `,` and `=` with a backslash, for use as a selector value.
std::string escape_value(std::string_view value);
/// Reverses escape_value; BadRequest on a bad escape or a bare `,` / `=`.
Result<std::string> unescape_value(std::string_view value);

}  // namespace kactor::api::fields
