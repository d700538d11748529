// LimitRanger (upstream's plugin of that name). Mutating: fills the container requests and
// limits a pod leaves out from the namespace's LimitRanges (type Container: default,
// defaultRequest) and records what it set in the annotation kubernetes.io/limit-ranger.
// Validating (after the pod passed validation, so a default limit below an explicit request
// is the 422 of pod validation, as upstream): min, max and maxLimitRequestRatio per
// Container and over the pod's sums per Pod, max/min storage per PersistentVolumeClaim; all
// violations of all LimitRanges in one 403 Forbidden.
//
// Pods are checked on create only: their containers' resources cannot change afterwards
// (upstream skips pod updates for the same reason); claims on create and update (resize).
#include <fmt/format.h>

#include <limits>

#include "actors/apiserver/admission/admission.hpp"
#include "api/quota/usage.hpp"
#include "api/types/pod.hpp"
#include "api/types/policy.hpp"
#include "api/types/storage.hpp"

namespace kactor::apiserver {
namespace {

constexpr const char* kAnnotation = "kubernetes.io/limit-ranger";
constexpr int64_t kMaxMilliValue = std::numeric_limits<int64_t>::max() / 1000;

using api::Quantity;
using api::ResourceList;

/// The three values compared at a common precision: thousandths where none would overflow,
/// whole units otherwise (upstream requestLimitEnforcedValues).
struct Observed {
  int64_t request, limit, enforced;
};
Observed observe(const Quantity* request, const Quantity* limit, const Quantity& enforced) {
  const Quantity zero;
  const Quantity& r = request ? *request : zero;
  const Quantity& l = limit ? *limit : zero;
  if (r.value() <= kMaxMilliValue && l.value() <= kMaxMilliValue &&
      enforced.value() <= kMaxMilliValue)
    return {r.milli_value(), l.milli_value(), enforced.milli_value()};
  return {r.value(), l.value(), enforced.value()};
}

const Quantity* find(const ResourceList& list, const std::string& name) {
  auto it = list.find(name);
  return it == list.end() ? nullptr : &it->second;
}

using Errors = std::vector<std::string>;

void check_min(const std::string& type, const std::string& resource, const Quantity& enforced,
               const ResourceList& requests, const ResourceList& limits, Errors& errors) {
  const Quantity* req = find(requests, resource);
  const Quantity* lim = find(limits, resource);
  auto v = observe(req, lim, enforced);
  const std::string head =
      fmt::format("minimum {} usage per {} is {}", resource, type, enforced.to_string());
  if (!req)
    errors.push_back(head + ".  No request is specified");
  else if (v.request < v.enforced)
    errors.push_back(head + ", but request is " + req->to_string());
  else if (lim && v.limit < v.enforced)
    errors.push_back(head + ", but limit is " + lim->to_string());
}

void check_max(const std::string& type, const std::string& resource, const Quantity& enforced,
               const ResourceList& requests, const ResourceList& limits, Errors& errors) {
  const Quantity* req = find(requests, resource);
  const Quantity* lim = find(limits, resource);
  auto v = observe(req, lim, enforced);
  const std::string head =
      fmt::format("maximum {} usage per {} is {}", resource, type, enforced.to_string());
  if (!lim)
    errors.push_back(head + ".  No limit is specified");
  else if (v.limit > v.enforced)
    errors.push_back(head + ", but limit is " + lim->to_string());
  else if (req && v.request > v.enforced)
    errors.push_back(head + ", but request is " + req->to_string());
}

/// A claim's max bounds what it requests (its limits are not user input).
void check_max_request(const std::string& type, const std::string& resource,
                       const Quantity& enforced, const ResourceList& requests, Errors& errors) {
  const Quantity* req = find(requests, resource);
  auto v = observe(req, nullptr, enforced);
  const std::string head =
      fmt::format("maximum {} usage per {} is {}", resource, type, enforced.to_string());
  if (!req)
    errors.push_back(head + ".  No request is specified");
  else if (v.request > v.enforced)
    errors.push_back(head + ", but request is " + req->to_string());
}

void check_ratio(const std::string& type, const std::string& resource, const Quantity& enforced,
                 const ResourceList& requests, const ResourceList& limits, Errors& errors) {
  const Quantity* req = find(requests, resource);
  const Quantity* lim = find(limits, resource);
  auto v = observe(req, lim, enforced);
  const std::string head = fmt::format("{} max limit to request ratio per {} is {}", resource,
                                       type, enforced.to_string());
  if (!req || v.request == 0) {
    errors.push_back(head + ", but no request is specified or request is 0");
    return;
  }
  if (!lim || v.limit == 0) {
    errors.push_back(head + ", but no limit is specified or limit is 0");
    return;
  }
  const double shown = static_cast<double>(v.limit) / static_cast<double>(v.request);
  double observed = shown;
  double allowed = static_cast<double>(enforced.value());
  if (enforced.value() <= kMaxMilliValue) {
    observed *= 1000;
    allowed = static_cast<double>(enforced.milli_value());
  }
  if (observed > allowed) errors.push_back(head + fmt::format(", but provided ratio is {:f}", shown));
}

/// min, max and ratio of one LimitRange item against one set of requests and limits.
void check_item(const api::LimitRangeItem& item, const ResourceList& requests,
                const ResourceList& limits, Errors& errors) {
  for (const auto& [r, q] : item.min) check_min(item.type, r, q, requests, limits, errors);
  for (const auto& [r, q] : item.max) check_max(item.type, r, q, requests, limits, errors);
  for (const auto& [r, q] : item.max_limit_request_ratio)
    check_ratio(item.type, r, q, requests, limits, errors);
}

/// Fills what the container leaves out; returns the annotation parts it contributes.
void merge_defaults(api::Container& c, const ResourceList& default_requests,
                    const ResourceList& default_limits, const char* what,
                    std::vector<std::string>& notes) {
  auto fill = [](ResourceList& into, const ResourceList& defaults) {
    std::vector<std::string> set;  // sorted: ResourceList is ordered
    for (const auto& [r, q] : defaults)
      if (into.try_emplace(r, q).second) set.push_back(r);
    return fmt::format("{}", fmt::join(set, ", "));
  };
  auto requests = fill(c.resources.requests, default_requests);
  auto limits = fill(c.resources.limits, default_limits);
  if (!requests.empty()) notes.push_back(fmt::format("{} request for {} {}", requests, what, c.name));
  if (!limits.empty()) notes.push_back(fmt::format("{} limit for {} {}", limits, what, c.name));
}

/// upstream's aggregate error text: one message as it is, several in brackets.
std::string aggregate(const Errors& errors) {
  if (errors.size() == 1) return errors.front();
  return fmt::format("[{}]", fmt::join(errors, ", "));
}

class LimitRanger final : public AdmissionPlugin {
 public:
  std::string_view name() const override { return "LimitRanger"; }

  std::optional<api::Status> admit(AdmissionRequest& req, const ClusterView& view) override {
    if (req.subresource || req.operation != Operation::create || !req.object) return std::nullopt;
    auto* pod = api::as<api::Pod>(*req.object);
    if (!pod) return std::nullopt;
    auto ranges = view.list(api::LimitRange::static_type(), req.namespace_);
    if (ranges.empty()) return std::nullopt;  // the common case: nothing to do
    // Each range's Container defaults fill only what is still missing: the first (by name)
    // that sets a resource wins.
    std::vector<std::string> notes;
    for (const auto& o : ranges) {
      const auto* lr = api::as<api::LimitRange>(*o);
      if (!lr) continue;
      ResourceList default_requests, default_limits;
      for (const auto& item : lr->spec.limits) {
        if (item.type != "Container") continue;
        default_requests.insert(item.default_request.begin(), item.default_request.end());
        default_limits.insert(item.default_.begin(), item.default_.end());
      }
      if (default_requests.empty() && default_limits.empty()) continue;
      for (auto& c : pod->spec.containers)
        merge_defaults(c, default_requests, default_limits, "container", notes);
      for (auto& c : pod->spec.init_containers)
        merge_defaults(c, default_requests, default_limits, "init container", notes);
    }
    if (!notes.empty())
      pod->metadata.annotations[kAnnotation] =
          fmt::format("LimitRanger plugin set: {}", fmt::join(notes, "; "));
    return std::nullopt;
  }

  std::optional<api::Status> validate(const AdmissionRequest& req, const ClusterView& view,
                                      ExtraWrites&) override {
    if (req.subresource || !req.object || req.operation == Operation::remove) return std::nullopt;
    const auto* pod = api::as<api::Pod>(*req.object);
    const auto* pvc = api::as<api::PersistentVolumeClaim>(*req.object);
    if (!pvc && !(pod && req.operation == Operation::create)) return std::nullopt;
    auto ranges = view.list(api::LimitRange::static_type(), req.namespace_);
    if (ranges.empty()) return std::nullopt;
    Errors errors;
    for (const auto& o : ranges) {
      const auto* lr = api::as<api::LimitRange>(*o);
      if (!lr) continue;
      for (const auto& item : lr->spec.limits) {
        if (pod) check_pod(item, *pod, errors);
        else check_claim(item, *pvc, errors);
      }
    }
    if (errors.empty()) return std::nullopt;
    return api::forbidden(req.type.resource, req.name, aggregate(errors), req.type.group);
  }

 private:
  static void check_pod(const api::LimitRangeItem& item, const api::Pod& pod, Errors& errors) {
    if (item.type == "Container") {
      for (const auto& c : pod.spec.containers)
        check_item(item, c.resources.requests, c.resources.limits, errors);
      for (const auto& c : pod.spec.init_containers)
        check_item(item, c.resources.requests, c.resources.limits, errors);
    } else if (item.type == "Pod") {
      check_item(item, api::quota::pod_requests(pod.spec), api::quota::pod_limits(pod.spec),
                 errors);
    }
  }

  static void check_claim(const api::LimitRangeItem& item, const api::PersistentVolumeClaim& pvc,
                          Errors& errors) {
    if (item.type != "PersistentVolumeClaim") return;
    const auto& requests = pvc.spec.resources.requests;
    for (const auto& [r, q] : item.min) check_min(item.type, r, q, requests, {}, errors);
    for (const auto& [r, q] : item.max) check_max_request(item.type, r, q, requests, errors);
  }
};

}  // namespace

std::unique_ptr<AdmissionPlugin> make_limit_ranger() {
  return std::make_unique<LimitRanger>();
}

}  // namespace kactor::apiserver
