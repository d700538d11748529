// pods/<name>/eviction as a Request: a create of the unstored kind Eviction (policy/v1,
// resource "evictions") named after the pod, which the API server answers by deleting the
// pod if its disruption budget allows (core_eviction.cpp). A create, as upstream's
// EvictionREST is a creater; no Verb of its own, as for TokenRequests.
#pragma once

#include <string>

#include "actors/apiserver/protocol/protocol.hpp"

namespace kactor::apiserver {

inline constexpr const char* kEvictionGroup = "policy";
inline constexpr const char* kEvictionResource = "evictions";

/// The eviction of pod `namespace_`/`pod`; `eviction` is an api::Eviction (its
/// deleteOptions: gracePeriodSeconds, preconditions, propagationPolicy, dryRun).
inline Request eviction_request(std::string namespace_, std::string pod, api::ObjectPtr eviction) {
  Request r;
  r.verb = Verb::create;
  r.group = kEvictionGroup;
  r.resource = kEvictionResource;
  r.namespace_ = std::move(namespace_);
  r.name = std::move(pod);
  r.object = std::move(eviction);
  return r;
}

inline bool is_eviction_request(const Request& r) {
  return r.verb == Verb::create && r.group == kEvictionGroup && r.resource == kEvictionResource;
}

}  // namespace kactor::apiserver
