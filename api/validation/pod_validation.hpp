// Pod validation, as the API server applies it (defaulting: api/defaults/pod_defaults.hpp).
// The PodSpec parts are shared with the workload kinds' pod templates.
#pragma once

#include <string>
#include <vector>

#include "api/status.hpp"
#include "api/types/pod.hpp"

namespace kactor::api {

/// `old` is null on create (ephemeralContainers are refused then). On update only
/// containers' images, activeDeadlineSeconds (shortened), tolerations (added to),
/// schedulingGates (removed from) and a negative terminationGracePeriodSeconds (to 1) may
/// change; spec.nodeName is set through pods/binding, never by an update.
void validate(const Pod& pod, const Pod* old, std::vector<StatusCause>& causes);

/// An update through pods/status, whose spec and metadata are the stored ones (upstream's
/// ValidatePodStatusUpdate): the status's condition types, nominatedNodeName, pod and host
/// IPs, and that a terminated container the restart policy keeps down is not running again.
/// The spec is not validated again: it is the stored one.
void validate_status_update(const Pod& pod, const Pod& old, std::vector<StatusCause>& causes);

/// Validates a PodSpec at `path` ("spec", "spec.template.spec").
void validate_pod_spec(const PodSpec& spec, const std::string& path,
                       std::vector<StatusCause>& causes);
/// Validates an embedded template at `path` ("spec.template"): its labels and annotations
/// (reported at `path`.labels, as upstream) and its spec (which may not have
/// ephemeralContainers).
void validate_pod_template_spec(const PodTemplateSpec& tmpl, const std::string& path,
                                std::vector<StatusCause>& causes);

}  // namespace kactor::api
