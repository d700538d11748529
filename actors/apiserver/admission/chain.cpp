// The one list of admission plugins, in the order they run, and which of them a server leaves
// out (--disable-admission-plugins).
#include "actors/apiserver/admission/admission.hpp"

#include <algorithm>

namespace kactor::apiserver {

std::unique_ptr<AdmissionPlugin> make_namespace_lifecycle();
std::unique_ptr<AdmissionPlugin> make_limit_ranger();
std::unique_ptr<AdmissionPlugin> make_service_account(const AdmissionOptions& options);
std::unique_ptr<AdmissionPlugin> make_default_toleration_seconds(const AdmissionOptions& options);
std::unique_ptr<AdmissionPlugin> make_priority();
std::unique_ptr<AdmissionPlugin> make_resource_quota();

namespace {

using Make = std::unique_ptr<AdmissionPlugin> (*)(const AdmissionOptions&);

/// Every plugin with its name, in the order the chain runs them (upstream's order).
const std::vector<std::pair<std::string, Make>>& plugin_table() {
  static const std::vector<std::pair<std::string, Make>> table = {
      {"NamespaceLifecycle", [](const AdmissionOptions&) { return make_namespace_lifecycle(); }},
      {"LimitRanger", [](const AdmissionOptions&) { return make_limit_ranger(); }},
      {"ServiceAccount", [](const AdmissionOptions& o) { return make_service_account(o); }},
      {"DefaultTolerationSeconds",
       [](const AdmissionOptions& o) { return make_default_toleration_seconds(o); }},
      {"Priority", [](const AdmissionOptions&) { return make_priority(); }},
      {"ResourceQuota", [](const AdmissionOptions&) { return make_resource_quota(); }},
  };
  return table;
}

}  // namespace

const std::vector<std::string>& admission_plugin_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (auto& [name, make] : plugin_table()) out.push_back(name);
    return out;
  }();
  return names;
}

std::optional<std::string> check_disabled_admission_plugins(const std::vector<std::string>& names) {
  std::string errors;
  const auto& known = admission_plugin_names();
  for (auto& name : names) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    if (!errors.empty()) errors += "; ";
    errors += "disable-admission-plugins plugin \"" + name + "\" is unknown";
  }
  if (errors.empty()) return std::nullopt;
  return errors;
}

AdmissionChain default_admission_chain(const AdmissionOptions& options) {
  const auto& disabled = options.disabled_plugins;
  std::vector<std::unique_ptr<AdmissionPlugin>> plugins;
  for (auto& [name, make] : plugin_table()) {
    if (std::find(disabled.begin(), disabled.end(), name) != disabled.end()) continue;
    plugins.push_back(make(options));
  }
  return AdmissionChain(std::move(plugins));
}

}  // namespace kactor::apiserver
