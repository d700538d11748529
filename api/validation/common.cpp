#include "api/validation/common.hpp"

#include <arpa/inet.h>
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
