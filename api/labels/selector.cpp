// Label requirements and selectors: validation, matching and printing (parsing: labels_parse.cpp).
#include "api/labels/selector.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>

#include "api/labels/detail/errors.hpp"
#include "api/util/go_format.hpp"
#include "api/validation/names.hpp"

namespace kactor::api::labels {
namespace detail {

std::string invalid_value(std::string_view path, std::string_view repr, std::string_view detail) {
  return fmt::format("{}: Invalid value: {}: {}", path, repr, detail);
}

std::string key_error(std::string_view key, std::string_view path) {
  auto errs = is_qualified_name(key);
  if (errs.empty()) return "";
  return invalid_value(path, util::go_quote(key), fmt::format("{}", fmt::join(errs, "; ")));
}

std::string aggregate(const std::vector<std::string>& errors) {
  std::vector<std::string> unique;
  for (const auto& e : errors) {
    if (std::find(unique.begin(), unique.end(), e) == unique.end()) unique.push_back(e);
  }
  if (unique.size() == 1) return unique[0];
  return fmt::format("[{}]", fmt::join(unique, ", "));
}

}  // namespace detail

namespace {

/// Go's %#v of a []string, as upstream prints a rejected value list.
std::string go_slice(const std::vector<std::string>& values) {
  if (values.empty()) return "[]string(nil)";
  std::string out = "[]string{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += util::go_quote(values[i]);
  }
  return out + "}";
}

/// Go strconv.ParseInt(s, 10, 64).
std::optional<int64_t> parse_int64(std::string_view s) {
  // from_chars takes no '+', and Go takes one sign only.
  if (!s.empty() && s[0] == '+') {
    s.remove_prefix(1);
    if (!s.empty() && s[0] == '-') return std::nullopt;
  }
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

bool contains(const std::vector<std::string>& values, const std::string& v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

}  // namespace

Result<Requirement> Requirement::create(std::string key, Operator op,
                                        std::vector<std::string> values) {
  std::vector<std::string> errs;
  if (auto e = detail::key_error(key, "key"); !e.empty()) errs.push_back(std::move(e));
  switch (op) {
    case Operator::In:
    case Operator::NotIn:
      if (values.empty()) {
        errs.push_back(detail::invalid_value("values", go_slice(values),
                                             "for 'in', 'notin' operators, values set can't be "
                                             "empty"));
      }
      break;
    case Operator::Equals:
    case Operator::DoubleEquals:
    case Operator::NotEquals:
      if (values.size() != 1) {
        errs.push_back(detail::invalid_value("values", go_slice(values),
                                             "exact-match compatibility requires one single "
                                             "value"));
      }
      break;
    case Operator::Exists:
    case Operator::DoesNotExist:
      if (!values.empty()) {
        errs.push_back(detail::invalid_value(
            "values", go_slice(values), "values set must be empty for exists and does not exist"));
      }
      break;
    case Operator::GreaterThan:
    case Operator::LessThan:
      if (values.size() != 1) {
        errs.push_back(detail::invalid_value(
            "values", go_slice(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
      }
      for (size_t i = 0; i < values.size(); ++i) {
        if (!parse_int64(values[i])) {
          errs.push_back(detail::invalid_value(fmt::format("values[{}]", i),
                                               util::go_quote(values[i]),
                                               "for 'Gt', 'Lt' operators, the value must be an "
                                               "integer"));
        }
      }
      break;
  }
  for (size_t i = 0; i < values.size(); ++i) {
    auto value_errs = is_valid_label_value(values[i]);
    if (!value_errs.empty()) {
      errs.push_back(detail::invalid_value(fmt::format("values[{}][{}]", i, key),
                                           util::go_quote(values[i]),
                                           fmt::format("{}", fmt::join(value_errs, "; "))));
    }
  }
  if (!errs.empty()) return fail(bad_request(detail::aggregate(errs)));
  return Requirement(std::move(key), op, std::move(values));
}

Result<Requirement> Requirement::make(std::string key, std::string_view op,
                                      std::vector<std::string> values) {
  Operator parsed;
  if (op == "In") {
    parsed = Operator::In;
  } else if (op == "NotIn") {
    parsed = Operator::NotIn;
  } else if (op == "Exists") {
    parsed = Operator::Exists;
  } else if (op == "DoesNotExist") {
    parsed = Operator::DoesNotExist;
  } else {
    return fail(bad_request(
        fmt::format("{} is not a valid label selector operator", util::go_quote(op))));
  }
  return create(std::move(key), parsed, std::move(values));
}

bool Requirement::matches(const Labels& labels) const {
  auto it = labels.find(key_);
  const bool has = it != labels.end();
  switch (op_) {
    case Operator::In:
    case Operator::Equals:
    case Operator::DoubleEquals:
      return has && contains(values_, it->second);
    case Operator::NotIn:
    case Operator::NotEquals:
      return !has || !contains(values_, it->second);
    case Operator::Exists:
      return has;
    case Operator::DoesNotExist:
      return !has;
    case Operator::GreaterThan:
    case Operator::LessThan: {
      if (!has || values_.size() != 1) return false;
      auto actual = parse_int64(it->second);
      auto bound = parse_int64(values_[0]);
      if (!actual || !bound) return false;
      return op_ == Operator::GreaterThan ? *actual > *bound : *actual < *bound;
    }
  }
  return false;
}

std::string Requirement::to_string() const {
  std::string out = op_ == Operator::DoesNotExist ? "!" + key_ : key_;
  switch (op_) {
    case Operator::Exists:
    case Operator::DoesNotExist:
      return out;
    case Operator::Equals:
      out += "=";
      break;
    case Operator::DoubleEquals:
      out += "==";
      break;
    case Operator::NotEquals:
      out += "!=";
      break;
    case Operator::In:
      out += " in ";
      break;
    case Operator::NotIn:
      out += " notin ";
      break;
    case Operator::GreaterThan:
      out += ">";
      break;
    case Operator::LessThan:
      out += "<";
      break;
  }
  const bool set_based = op_ == Operator::In || op_ == Operator::NotIn;
  std::vector<std::string> sorted = values_;
  std::sort(sorted.begin(), sorted.end());
  if (set_based) out += "(";
  out += fmt::format("{}", fmt::join(sorted, ","));
  if (set_based) out += ")";
  return out;
}

namespace {

void sort_by_key(std::vector<Requirement>& reqs) {
  std::stable_sort(reqs.begin(), reqs.end(),
                   [](const Requirement& a, const Requirement& b) { return a.key() < b.key(); });
}

}  // namespace

Selector Selector::nothing() {
  Selector s;
  s.nothing_ = true;
  return s;
}

Result<Selector> Selector::from_parts(const Labels& match_labels,
                                      const std::vector<Requirement>& exprs) {
  Selector s;
  for (const auto& [key, value] : match_labels) {
    auto r = Requirement::create(key, Operator::Equals, {value});
    if (!r) return fail(r.error());
    s.requirements_.push_back(std::move(*r));
  }
  s.requirements_.insert(s.requirements_.end(), exprs.begin(), exprs.end());
  sort_by_key(s.requirements_);
  return s;
}

Result<Selector> Selector::from_label_selector(const LabelSelector& selector) {
  std::vector<Requirement> exprs;
  exprs.reserve(selector.match_expressions.size());
  for (const auto& e : selector.match_expressions) {
    auto r = Requirement::make(e.key, e.operator_, e.values);
    if (!r) return fail(std::move(r.error()));
    exprs.push_back(std::move(*r));
  }
  return from_parts(selector.match_labels, exprs);
}

Selector Selector::from_set(const Labels& set) {
  Selector s;
  for (const auto& [key, value] : set) {
    s.requirements_.push_back(Requirement(key, Operator::Equals, {value}));
  }
  return s;  // a std::map iterates in key order already
}

bool Selector::matches(const Labels& labels) const {
  if (nothing_) return false;
  return std::all_of(requirements_.begin(), requirements_.end(),
                     [&](const Requirement& r) { return r.matches(labels); });
}

std::string Selector::to_string() const {
  std::vector<std::string> parts;
  for (const auto& r : requirements_) parts.push_back(r.to_string());
  return fmt::format("{}", fmt::join(parts, ","));
}

std::optional<std::string> Selector::requires_exact_match(std::string_view key) const {
  for (const auto& r : requirements_) {
    if (r.key() != key) continue;
    const bool exact =
        r.op() == Operator::Equals || r.op() == Operator::DoubleEquals || r.op() == Operator::In;
    if (exact && r.values().size() == 1) return r.values()[0];
    return std::nullopt;
  }
  return std::nullopt;
}

Selector Selector::add(Requirement r) const {
  if (nothing_) return *this;
  Selector s = *this;
  s.requirements_.push_back(std::move(r));
  sort_by_key(s.requirements_);
  return s;
}

}  // namespace kactor::api::labels
