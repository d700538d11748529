// Pod and PodSpec defaulting, as the API server applies it on create and update (upstream
// SetDefaults_Pod / _PodSpec / _Container / _Probe). The PodSpec parts are shared with the
// workload kinds' pod templates.
#pragma once

#include <string>
#include <string_view>

#include "api/types/pod.hpp"

namespace kactor::api {

/// Pod defaults: the PodSpec defaults, requests copied from limits when unset, host ports
/// mirroring container ports on the host network, phase Pending.
void set_defaults(Pod& pod);
/// Defaults every PodSpec gets, in pods and in templates: restartPolicy Always,
/// terminationGracePeriodSeconds 30, dnsPolicy ClusterFirst, schedulerName
/// default-scheduler, and per container: ports' protocol TCP, imagePullPolicy (Always for
/// ":latest" or untagged images, else IfNotPresent), terminationMessagePath/Policy, probe
/// timings (timeout 1, period 10, success 1, failure 3), httpGet path "/" and scheme HTTP;
/// volumes without a source become emptyDir.
void set_pod_spec_defaults(PodSpec& spec);
/// The pull policy upstream defaults for `image`.
std::string default_image_pull_policy(std::string_view image);

}  // namespace kactor::api
