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
/// timings (timeout 1, period 10, success 1, failure 3), httpGet path "/" and scheme HTTP,
/// env fieldRef apiVersion v1; volumes without a source become emptyDir; an empty
/// serviceAccountName takes the deprecated serviceAccount's value.
///
/// Upstream also defaults enableServiceLinks (true), securityContext ({}) and configMap /
/// secret / projected defaultMode (0644). kactor does not: it does not default on reading
/// stored objects as upstream does, so a new default would make every update of a pod
/// stored before it differ from the stored spec (and be refused as a spec change).
void set_pod_spec_defaults(PodSpec& spec);
/// The pull policy upstream defaults for `image`.
std::string default_image_pull_policy(std::string_view image);

}  // namespace kactor::api
