#include "api/validation/common.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include "api/validation/names.hpp"

namespace kactor::api::validation {

std::string go_int_or_string(const IntOrString& v) {
  return v.to_string();
}

std::string go_time(const Time& t) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t.value);
  return fmt::format("{:%Y-%m-%d %H:%M:%S} +0000 UTC", secs);
}

std::string go_label_selector(const LabelSelector& s) {
  std::string exprs = "[]v1.LabelSelectorRequirement(nil)";
  if (!s.match_expressions.empty()) {
    exprs = "[]v1.LabelSelectorRequirement{";
    for (size_t i = 0; i < s.match_expressions.size(); ++i) {
      const auto& r = s.match_expressions[i];
      exprs += fmt::format("{}v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}",
                           i ? ", " : "", go_quote(r.key), go_quote(r.operator_), go_strings(r.values));
    }
    exprs += "}";
  }
  return fmt::format("v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{}}}",
                     go_map(s.match_labels), exprs);
}

bool is_percent(const std::string& s) {
  if (s.size() < 2 || s.back() != '%') return false;
  for (size_t i = 0; i + 1 < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int64_t int_or_percent_value(const std::optional<IntOrString>& v) {
  if (!v) return 0;
  if (!v->is_string) return v->int_value;
  if (!is_percent(v->string_value)) return 0;
  const std::string digits = v->string_value.substr(0, v->string_value.size() - 1);
  // More digits than an int32 holds (upstream's Atoi would fail): as large as can be.
  if (digits.size() > 10) return INT32_MAX;
  return std::min<int64_t>(std::stoll(digits), INT32_MAX);
}

void validate_positive_int_or_percent(const std::optional<IntOrString>& v, const std::string& path,
                                      Causes& causes) {
  if (!v) return;
  if (v->is_string) {
    if (!is_percent(v->string_value))
      causes.push_back(field_invalid(path, go_int_or_string(*v),
                                     "a valid percent string must be a numeric string followed by "
                                     "an ending '%' (e.g. '1%',  or '93%', regex used for "
                                     "validation is '[0-9]+%')"));
  } else {
    validate_nonnegative(v->int_value, path, causes);
  }
}

void validate_not_more_than_100_percent(const std::optional<IntOrString>& v,
                                        const std::string& path, Causes& causes) {
  if (!v || !v->is_string || !is_percent(v->string_value)) return;
  if (int_or_percent_value(v) > 100)
    causes.push_back(field_invalid(path, go_quote(v->string_value), "must not be greater than 100%"));
}

void add_invalid(Causes& causes, const std::string& path, const std::string& repr,
                 const std::vector<std::string>& messages) {
  for (const auto& m : messages) causes.push_back(field_invalid(path, repr, m));
}

void validate_nonnegative(int64_t value, const std::string& path, Causes& causes) {
  if (value < 0)
    causes.push_back(field_invalid(path, std::to_string(value), std::string(kIsNegative)));
}

void validate_immutable(bool changed, const std::string& path, const std::string& new_repr,
                        Causes& causes) {
  if (changed) causes.push_back(field_invalid(path, new_repr, std::string(kFieldImmutable)));
}

void validate_dns1123_label(std::string_view value, const std::string& path, Causes& causes) {
  add_invalid(causes, path, go_quote(value), is_dns1123_label(value));
}

void validate_dns1123_subdomain(std::string_view value, const std::string& path, Causes& causes) {
  add_invalid(causes, path, go_quote(value), is_dns1123_subdomain(value));
}

void validate_qualified_name(std::string_view value, const std::string& path, Causes& causes) {
  add_invalid(causes, path, go_quote(value), is_qualified_name(value));
}

bool is_valid_ip(std::string_view ip) {
  std::string s(ip);
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

std::string invalid_ip_message() {
  return "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
}

StatusCause field_not_found(const std::string& path, const std::string& repr) {
  return {"FieldValueNotFound", "Not found: " + repr, path};
}

bool validate_set_operator_values(std::string_view op, size_t value_count,
                                  const std::string& path, Causes& causes) {
  if (op == "In" || op == "NotIn") {
    if (value_count == 0)
      causes.push_back(field_required(child(path, "values"),
                                      "must be specified when `operator` is 'In' or 'NotIn'"));
    return true;
  }
  if (op == "Exists" || op == "DoesNotExist") {
    if (value_count != 0)
      causes.push_back(
          field_forbidden(child(path, "values"),
                          "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    return true;
  }
  return false;
}

}  // namespace kactor::api::validation
