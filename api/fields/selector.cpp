// Field selector parsing, escaping, matching and printing.
#include "api/fields/selector.hpp"

#include <fmt/format.h>
#include <algorithm>

namespace kactor::api::fields {
namespace {

/// Splits on commas that are not backslash-escaped; escapes stay in the terms.
std::vector<std::string> split_terms(std::string_view text) {
  std::vector<std::string> terms;
  if (text.empty()) return terms;
  size_t start = 0;
  bool escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (escaped) {
      escaped = false;
    } else if (text[i] == '\\') {
      escaped = true;
    } else if (text[i] == ',') {
      terms.emplace_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  terms.emplace_back(text.substr(start));
  return terms;
}

/// Splits a term at the first operator; "!=" and "==" win over "=" at the same position.
bool split_term(std::string_view term, std::string_view& lhs, std::string_view& op,
                std::string_view& rhs) {
  static constexpr std::string_view kOperators[] = {"!=", "==", "="};
  for (size_t i = 0; i < term.size(); ++i) {
    for (auto candidate : kOperators) {
      if (term.substr(i).starts_with(candidate)) {
        lhs = term.substr(0, i);
        op = candidate;
        rhs = term.substr(i + candidate.size());
        return true;
      }
    }
  }
  return false;
}

/// Length of the UTF-8 sequence starting with `lead` (1 for stray bytes).
size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0 && lead < 0xF8) return 4;
  if (lead >= 0xE0) return lead < 0xF0 ? 3 : 1;
  if (lead >= 0xC0) return 2;
  return 1;
}

}  // namespace

std::string escape_value(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == ',' || c == '=') out += '\\';
    out += c;
  }
  return out;
}

Result<std::string> unescape_value(std::string_view value) {
  std::string out;
  bool escaped = false;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (escaped) {
      if (c != '\\' && c != ',' && c != '=') {
        size_t n = std::min(utf8_length(static_cast<unsigned char>(c)), value.size() - i);
        return fail(bad_request(fmt::format("invalid field selector: invalid escape sequence: \\{}",
                                            value.substr(i, n))));
      }
      out += c;
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == ',' || c == '=') {
      // Upstream prints the rune with %v, i.e. as its code point number.
      return fail(bad_request(fmt::format(
          "invalid field selector: unescaped character in value: {}", static_cast<int>(c))));
    } else {
      out += c;
    }
  }
  if (escaped) return fail(bad_request("invalid field selector: invalid escape sequence: \\"));
  return out;
}

Selector Selector::one_term_equal(std::string field, std::string value) {
  Selector s;
  s.requirements_.push_back({std::move(field), Operator::Equals, std::move(value)});
  return s;
}

Result<Selector> Selector::parse(std::string_view text) {
  auto terms = split_terms(text);
  // Upstream sorts the raw terms, which fixes the printed order.
  std::sort(terms.begin(), terms.end());
  Selector s;
  for (const auto& term : terms) {
    if (term.empty()) continue;
    std::string_view lhs, op, rhs;
    if (!split_term(term, lhs, op, rhs)) {
      return fail(
          bad_request(fmt::format("invalid selector: '{}'; can't understand '{}'", text, term)));
    }
    auto value = unescape_value(rhs);
    if (!value) return fail(value.error());
    s.requirements_.push_back(
        {std::string(lhs), op == "!=" ? Operator::NotEquals : Operator::Equals, std::move(*value)});
  }
  return s;
}

bool Selector::matches(const FieldGetter& get) const {
  for (const auto& r : requirements_) {
    auto actual = get(r.field);
    if (!actual) return false;
    if ((*actual == r.value) != (r.op == Operator::Equals)) return false;
  }
  return true;
}

std::optional<std::string> Selector::exact(std::string_view field) const {
  for (const auto& r : requirements_) {
    if (r.op == Operator::Equals && r.field == field) return r.value;
  }
  return std::nullopt;
}

std::string Selector::to_string() const {
  std::string out;
  for (const auto& r : requirements_) {
    if (!out.empty()) out += ',';
    out += r.field + (r.op == Operator::Equals ? "=" : "!=") + escape_value(r.value);
  }
  return out;
}

}  // namespace kactor::api::fields
