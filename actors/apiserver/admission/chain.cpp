// The one list of admission plugins, in the order they run.
#include "actors/apiserver/admission/admission.hpp"

namespace kactor::apiserver {

std::unique_ptr<AdmissionPlugin> make_namespace_lifecycle();
std::unique_ptr<AdmissionPlugin> make_limit_ranger();
std::unique_ptr<AdmissionPlugin> make_service_account(const AdmissionOptions& options);
std::unique_ptr<AdmissionPlugin> make_default_toleration_seconds(const AdmissionOptions& options);
std::unique_ptr<AdmissionPlugin> make_priority();
std::unique_ptr<AdmissionPlugin> make_resource_quota();

AdmissionChain default_admission_chain(const AdmissionOptions& options) {
  std::vector<std::unique_ptr<AdmissionPlugin>> plugins;
  plugins.push_back(make_namespace_lifecycle());
  plugins.push_back(make_limit_ranger());
  plugins.push_back(make_service_account(options));
  plugins.push_back(make_default_toleration_seconds(options));
  plugins.push_back(make_priority());
  plugins.push_back(make_resource_quota());
  return AdmissionChain(std::move(plugins));
}

}  // namespace kactor::apiserver
