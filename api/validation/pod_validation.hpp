// Pod validation and defaulting, as the API server applies them. The PodSpec
// parts are shared with the workload kinds' pod templates.
#pragma once

#include <string>
#include <vector>

#include "api/status.hpp"
#include "api/types/pod.hpp"

namespace kactor::api {

/// Pod defaults: the PodSpec defaults, requests copied from limits when unset, host ports
/// mirroring container ports on the host network, phase Pending.
void set_defaults(Pod& pod);
/// `old` is null on create. On update only containers' images, activeDeadlineSeconds
/// (shortened), tolerations (added to) and a negative terminationGracePeriodSeconds (to 1)
/// may change; spec.nodeName is set through pods/binding, never by an update.
void validate(const Pod& pod, const Pod* old, std::vector<StatusCause>& causes);

/// Defaults every PodSpec gets, in pods and in templates: restartPolicy Always,
/// terminationGracePeriodSeconds 30, dnsPolicy ClusterFirst, schedulerName
/// default-scheduler, and per container: ports' protocol TCP, imagePullPolicy (Always for
/// ":latest" or untagged images, else IfNotPresent), terminationMessagePath/Policy, probe
/// timings (timeout 1, period 10, success 1, failure 3), httpGet path "/" and scheme HTTP;
/// volumes without a source become emptyDir.
void set_pod_spec_defaults(PodSpec& spec);
/// The pull policy upstream defaults for `image`.
std::string default_image_pull_policy(std::string_view image);

/// Validates a PodSpec at `path` ("spec", "spec.template.spec").
void validate_pod_spec(const PodSpec& spec, const std::string& path,
                       std::vector<StatusCause>& causes);
/// Validates an embedded template at `path` ("spec.template"): its labels and annotations
/// (reported at `path`.labels, as upstream) and its spec.
void validate_pod_template_spec(const PodTemplateSpec& tmpl, const std::string& path,
                                std::vector<StatusCause>& causes);

}  // namespace kactor::api
