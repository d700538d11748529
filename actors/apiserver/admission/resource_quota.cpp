// ResourceQuota (upstream's validating plugin of that name, last in the chain): charges what
// a write adds to every quota of its namespace that selects it, and refuses it with 403 when
// a quota would be exceeded. Runs after the object passed validation, on the object as it
// will be stored; the charged quotas (status.used += delta) are returned as extra writes
// that the API server stages in the same batch as the object, each with the quota's current
// resourceVersion as precondition. As the API server handles writes one at a time, a second
// create sees the first one's charge: two creates cannot both pass when only one fits.
//
// As upstream: the quota controller releases usage (deletes, pods turning terminal); only
// services and claims are charged on update (their usage can grow: type, size); a quota the
// controller has not yet given status.hard limits nothing; one whose status.used lacks a
// resource of status.hard refuses with "status unknown".
#include <fmt/format.h>

#include "actors/apiserver/admission/admission.hpp"
#include "api/quota/usage.hpp"
#include "api/types/policy.hpp"
#include "api/types/service.hpp"
#include "api/types/storage.hpp"

namespace kactor::apiserver {
namespace {

namespace quota = api::quota;

/// Every resource of status.hard that `restricted` names has a usage in status.used.
bool has_usage_stats(const api::ResourceQuota& q, const quota::ResourceNames& restricted) {
  for (const auto& [name, hard] : q.status.hard)
    if (restricted.contains(name) && !q.status.used.contains(name)) return false;
  return true;
}

class ResourceQuotaAdmission final : public AdmissionPlugin {
 public:
  std::string_view name() const override { return "ResourceQuota"; }

  std::optional<api::Status> admit(AdmissionRequest&, const ClusterView&) override {
    return std::nullopt;
  }

  std::optional<api::Status> validate(const AdmissionRequest& req, const ClusterView& view,
                                      ExtraWrites& extra) override {
    if (req.subresource || !req.object || req.operation == Operation::remove) return std::nullopt;
    if (req.operation == Operation::update && &req.type != &api::Service::static_type() &&
        &req.type != &api::PersistentVolumeClaim::static_type())
      return std::nullopt;
    if (!req.type.namespaced) return std::nullopt;
    auto quotas = view.list(api::ResourceQuota::static_type(), req.namespace_);
    if (quotas.empty()) return std::nullopt;  // the common case: nothing to charge

    auto refuse = [&](const std::string& why) {
      return api::forbidden(req.type.resource, req.name, why, req.type.group);
    };
    const api::Object& object = *req.object;
    std::vector<const api::ResourceQuota*> pertinent;
    for (const auto& o : quotas) {
      const auto* q = api::as<api::ResourceQuota>(*o);
      if (!q) continue;
      auto restricted = quota::matching_resources(req.type, quota::names_of(q->status.hard));
      if (restricted.empty() || !quota::matches_scopes(*q, object)) continue;
      if (auto why = quota::unmet_constraints(object, restricted); !why.empty())
        return refuse(fmt::format("failed quota: {}: {}", q->metadata.name, why));
      if (!has_usage_stats(*q, restricted))
        return refuse(fmt::format("status unknown for quota: {}, resources: {}", q->metadata.name,
                                  quota::pretty(restricted)));
      pertinent.push_back(q);
    }
    if (pertinent.empty()) return std::nullopt;

    auto delta = quota::usage(object, req.now);
    if (auto negative = quota::negative(delta); !negative.empty())
      return refuse("quota usage is negative for resource(s): " + quota::pretty(negative));
    if (req.operation == Operation::update && req.old)
      delta = quota::subtract_non_negative(delta, quota::usage(*req.old, req.now));
    delta = quota::remove_zeros(delta);
    if (delta.empty()) return std::nullopt;

    ExtraWrites charged;
    for (const auto* q : pertinent) {
      auto requested = quota::mask(delta, quota::names_of(q->status.hard));
      if (requested.empty()) continue;
      auto used = quota::add(q->status.used, requested);
      auto over = quota::exceeded(quota::mask(used, quota::names_of(requested)), q->status.hard);
      if (!over.empty())
        return refuse(fmt::format("exceeded quota: {}, requested: {}, used: {}, limited: {}",
                                  q->metadata.name, quota::pretty(quota::mask(requested, over)),
                                  quota::pretty(quota::mask(q->status.used, over)),
                                  quota::pretty(quota::mask(q->status.hard, over))));
      auto next = std::make_unique<api::ResourceQuota>(*q);
      next->status.used = std::move(used);
      charged.push_back(std::move(next));
    }
    for (auto& c : charged) extra.push_back(std::move(c));
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<AdmissionPlugin> make_resource_quota() {
  return std::make_unique<ResourceQuotaAdmission>();
}

}  // namespace kactor::apiserver
