// Label sets and label selectors ("env=prod,tier in (a,b),!legacy"), as upstream's labels package.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/status.hpp"
#include "api/types/meta.hpp"

namespace kactor::api {

/// An object's labels: key to value.
using Labels = std::map<std::string, std::string>;

namespace labels {

/// How a requirement relates a key to its values (upstream selection.Operator).
enum class Operator {
  Equals,        ///< `key=v`
  DoubleEquals,  ///< `key==v`
  NotEquals,     ///< `key!=v` (also matches when the key is absent)
  In,            ///< `key in (a,b)`
  NotIn,         ///< `key notin (a,b)` (also matches when the key is absent)
  Exists,        ///< `key`
  DoesNotExist,  ///< `!key`
  GreaterThan,   ///< `key>5` (integer comparison)
  LessThan,      ///< `key<5`
};

/// One validated condition on one label key. The values keep their given order; printing
/// sorts them.
class Requirement {
 public:
  /// Validates as upstream NewRequirement: a qualified-name key, valid label values, one
  /// value for =, ==, !=, >, <, at least one for in/notin, none for exists/!; an integer
  /// for > and <. Errors are BadRequest with upstream's aggregated field-error text.
  static Result<Requirement> create(std::string key, Operator op, std::vector<std::string> values);
  /// A metav1.LabelSelectorRequirement: `op` is "In", "NotIn", "Exists" or "DoesNotExist".
  static Result<Requirement> make(std::string key, std::string_view op,
                                  std::vector<std::string> values);

  const std::string& key() const { return key_; }
  Operator op() const { return op_; }
  const std::vector<std::string>& values() const { return values_; }

  bool matches(const Labels& labels) const;
  /// Upstream's text form, e.g. "tier in (a,b)", "!legacy", "env=prod".
  std::string to_string() const;

  bool operator==(const Requirement&) const = default;

 private:
  friend class Selector;  // from_set builds unvalidated requirements, as upstream
  Requirement(std::string key, Operator op, std::vector<std::string> values)
      : key_(std::move(key)), op_(op), values_(std::move(values)) {}

  std::string key_;
  Operator op_ = Operator::Exists;
  std::vector<std::string> values_;
};

/// A conjunction of requirements, kept sorted by key; or the selector that matches nothing.
class Selector {
 public:
  /// Matches everything (no requirements).
  Selector() = default;

  static Selector everything() { return Selector(); }
  /// Matches nothing: what a nil metav1.LabelSelector means to most controllers.
  static Selector nothing();
  /// Parses the string syntax (`env=prod,tier in (a,b),!legacy,version`); the error is a
  /// BadRequest with upstream's message ("unable to parse requirement: ...", "found 'x',
  /// expected: ...").
  static Result<Selector> parse(std::string_view text);
  /// metav1.LabelSelector {matchLabels, matchExpressions} (upstream LabelSelectorAsSelector
  /// for a non-nil selector): matchLabels become `=` requirements, validated; both empty
  /// means everything.
  static Result<Selector> from_parts(const Labels& match_labels,
                                     const std::vector<Requirement>& exprs);
  /// A metav1.LabelSelector as a Selector (upstream LabelSelectorAsSelector for a non-nil
  /// one): an invalid requirement is the error.
  static Result<Selector> from_label_selector(const LabelSelector& selector);
  /// An exact-match selector over `set` without validation (upstream SelectorFromSet), e.g.
  /// for a Service or ReplicationController spec.selector map. Empty matches everything.
  static Selector from_set(const Labels& set);

  bool matches(const Labels& labels) const;
  /// True when the selector does not restrict anything (false for nothing()).
  bool empty() const { return !nothing_ && requirements_.empty(); }
  bool is_nothing() const { return nothing_; }
  /// Comma-separated requirements sorted by key; "" for everything and nothing.
  std::string to_string() const;
  const std::vector<Requirement>& requirements() const { return requirements_; }
  /// The single value the selector requires for `key` (=, == or a one-value in), if any.
  std::optional<std::string> requires_exact_match(std::string_view key) const;
  /// This selector with `r` added (no effect on nothing()).
  Selector add(Requirement r) const;

  bool operator==(const Selector&) const = default;

 private:
  std::vector<Requirement> requirements_;
  bool nothing_ = false;
};

}  // namespace labels
}  // namespace kactor::api
