// Every PodSpec field upstream 1.32 has round-trips through JSON and msgpack, unchanged:
// a manifest setting every field (kPodWithEveryField) comes back exactly as given, the
// manifest covers every field kactor describes, and the fields upstream has are all described.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cxxabi.h>

#include <cstdlib>
#include <set>
#include <string>
#include <type_traits>
#include <typeinfo>

#include "api/codec/json_codec.hpp"  // is_empty: what the codecs omit
#include "api/codec/object_codec.hpp"
#include "api/types/pod.hpp"

using namespace kactor::api;
using nlohmann::json;

namespace {

// One volume per source (a volume has exactly one), every container field in the app
// container, and the parts that exist only elsewhere (sidecar restartPolicy, ephemeral
// container target) in the init and ephemeral containers.
constexpr const char* kPodWithEveryField = R"json({
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "everything", "namespace": "default", "creationTimestamp": null},
  "spec": {
    "volumes": [
      {"name": "v-empty", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
      {"name": "v-host", "hostPath": {"path": "/var/log", "type": "Directory"}},
      {"name": "v-git", "gitRepo": {"repository": "https://example.com/r.git", "revision": "main", "directory": "."}},
      {"name": "v-gce", "gcePersistentDisk": {"pdName": "disk", "fsType": "ext4", "partition": 1, "readOnly": true}},
      {"name": "v-aws", "awsElasticBlockStore": {"volumeID": "vol-1", "fsType": "ext4", "partition": 2}},
      {"name": "v-secret", "secret": {"secretName": "creds", "items": [{"key": "k", "path": "p", "mode": 256}],
                                      "defaultMode": 420, "optional": true}},
      {"name": "v-nfs", "nfs": {"server": "nfs.example.com", "path": "/export", "readOnly": true}},
      {"name": "v-iscsi", "iscsi": {"targetPortal": "10.0.0.1:3260", "iqn": "iqn.2001-04.com.example:storage", "lun": 0,
                                    "iscsiInterface": "default", "portals": ["10.0.0.2:3260"], "chapAuthSession": true,
                                    "secretRef": {"name": "chap"}, "initiatorName": "iqn.1994-05.com.example:node"}},
      {"name": "v-gluster", "glusterfs": {"endpoints": "glusterfs-cluster", "path": "vol", "readOnly": true}},
      {"name": "v-pvc", "persistentVolumeClaim": {"claimName": "data", "readOnly": true}},
      {"name": "v-rbd", "rbd": {"monitors": ["10.0.0.3:6789"], "image": "img", "pool": "rbd", "user": "admin",
                                "keyring": "/etc/ceph/keyring", "secretRef": {"name": "ceph"}}},
      {"name": "v-flex", "flexVolume": {"driver": "example.com/flex", "fsType": "ext4", "options": {"a": "b"}}},
      {"name": "v-cinder", "cinder": {"volumeID": "c-1", "fsType": "ext4", "secretRef": {"name": "os"}}},
      {"name": "v-cephfs", "cephfs": {"monitors": ["10.0.0.4:6789"], "path": "/", "user": "admin", "secretFile": "/etc/ceph/s"}},
      {"name": "v-flocker", "flocker": {"datasetName": "ds", "datasetUUID": "1234"}},
      {"name": "v-downward", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels"}},
                                                       {"path": "cpu", "resourceFieldRef": {"containerName": "app", "resource": "limits.cpu", "divisor": "1m"}, "mode": 292}],
                                             "defaultMode": 420}},
      {"name": "v-fc", "fc": {"targetWWNs": ["500a0982991b8dc5"], "lun": 2, "fsType": "ext4", "wwids": ["wwid"]}},
      {"name": "v-azurefile", "azureFile": {"secretName": "az", "shareName": "share", "readOnly": true}},
      {"name": "v-vsphere", "vsphereVolume": {"volumePath": "[ds] v.vmdk", "fsType": "ext4", "storagePolicyName": "gold", "storagePolicyID": "1"}},
      {"name": "v-quobyte", "quobyte": {"registry": "r:7861", "volume": "v", "user": "u", "group": "g", "tenant": "t"}},
      {"name": "v-azuredisk", "azureDisk": {"diskName": "d", "diskURI": "https://d", "cachingMode": "ReadOnly", "kind": "Managed"}},
      {"name": "v-photon", "photonPersistentDisk": {"pdID": "p-1", "fsType": "ext4"}},
      {"name": "v-portworx", "portworxVolume": {"volumeID": "px-1", "fsType": "ext4"}},
      {"name": "v-scaleio", "scaleIO": {"gateway": "https://gw", "system": "s", "secretRef": {"name": "sio"}, "sslEnabled": true,
                                        "protectionDomain": "pd", "storagePool": "sp", "storageMode": "ThinProvisioned", "volumeName": "v"}},
      {"name": "v-configmap", "configMap": {"name": "cfg", "items": [{"key": "a", "path": "a.conf"}], "defaultMode": 420, "optional": false}},
      {"name": "v-projected", "projected": {"sources": [
         {"secret": {"name": "creds", "items": [{"key": "k", "path": "k"}]}},
         {"configMap": {"name": "cfg"}},
         {"downwardAPI": {"items": [{"path": "name", "fieldRef": {"fieldPath": "metadata.name"}}]}},
         {"serviceAccountToken": {"audience": "api", "expirationSeconds": 3600, "path": "token"}},
         {"clusterTrustBundle": {"signerName": "example.com/signer", "labelSelector": {"matchLabels": {"a": "b"}}, "path": "ca.pem"}}],
         "defaultMode": 420}},
      {"name": "v-storageos", "storageos": {"volumeName": "v", "volumeNamespace": "ns", "fsType": "ext4"}},
      {"name": "v-csi", "csi": {"driver": "csi.example.com", "readOnly": true, "fsType": "ext4",
                                "volumeAttributes": {"size": "1Gi"}, "nodePublishSecretRef": {"name": "csi"}}},
      {"name": "v-ephemeral", "ephemeral": {"volumeClaimTemplate": {"metadata": {"labels": {"a": "b"}},
         "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "fast", "resources": {"requests": {"storage": "1Gi"}}}}}},
      {"name": "v-image", "image": {"reference": "registry.example.com/artifact:v1", "pullPolicy": "IfNotPresent"}}
    ],
    "initContainers": [
      {"name": "sidecar", "image": "envoy:1.30", "restartPolicy": "Always", "resources": {},
       "readinessProbe": {"grpc": {"port": 9901, "service": "ready"}},
       "lifecycle": {"postStart": {"httpGet": {"path": "/started", "port": 9901}},
                     "preStop": {"tcpSocket": {"port": 9901}}}}
    ],
    "containers": [
      {"name": "app", "image": "nginx:1.25", "command": ["nginx"], "args": ["-g", "daemon off;"], "workingDir": "/srv",
       "ports": [{"name": "http", "hostPort": 8080, "containerPort": 80, "protocol": "TCP", "hostIP": "0.0.0.0"}],
       "envFrom": [{"prefix": "CFG_", "configMapRef": {"name": "cfg", "optional": true}},
                   {"secretRef": {"name": "creds", "optional": false}}],
       "env": [{"name": "PLAIN", "value": "1"},
               {"name": "POD", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
               {"name": "CPU", "valueFrom": {"resourceFieldRef": {"containerName": "app", "resource": "limits.cpu", "divisor": "1m"}}},
               {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "mode", "optional": true}}},
               {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "token", "optional": false}}}],
       "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "250m", "memory": "64Mi"},
                     "claims": [{"name": "gpu", "request": "one"}]},
       "resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"}],
       "volumeMounts": [{"name": "v-empty", "readOnly": true, "recursiveReadOnly": "IfPossible", "mountPath": "/cache",
                         "subPath": "a", "mountPropagation": "HostToContainer"},
                        {"name": "v-host", "mountPath": "/logs", "subPathExpr": "$(POD)"}],
       "volumeDevices": [{"name": "v-pvc", "devicePath": "/dev/xvda"}],
       "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http", "host": "localhost", "scheme": "HTTP",
                                     "httpHeaders": [{"name": "X-Probe", "value": "1"}]},
                         "initialDelaySeconds": 5, "timeoutSeconds": 2, "periodSeconds": 10, "successThreshold": 1,
                         "failureThreshold": 3, "terminationGracePeriodSeconds": 20},
       "readinessProbe": {"exec": {"command": ["cat", "/ready"]}},
       "startupProbe": {"tcpSocket": {"port": 80, "host": "localhost"}},
       "lifecycle": {"postStart": {"exec": {"command": ["/bin/start"]}},
                     "preStop": {"sleep": {"seconds": 5}}},
       "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "FallbackToLogsOnError",
       "imagePullPolicy": "IfNotPresent",
       "securityContext": {"capabilities": {"add": ["NET_ADMIN"], "drop": ["ALL"]}, "privileged": false,
                           "seLinuxOptions": {"user": "system_u", "role": "system_r", "type": "container_t", "level": "s0:c1,c2"},
                           "windowsOptions": {"gmsaCredentialSpecName": "gmsa", "gmsaCredentialSpec": "{}",
                                              "runAsUserName": "ContainerUser", "hostProcess": false},
                           "runAsUser": 1000, "runAsGroup": 3000, "runAsNonRoot": true, "readOnlyRootFilesystem": true,
                           "allowPrivilegeEscalation": false, "procMount": "Default",
                           "seccompProfile": {"type": "Localhost", "localhostProfile": "profiles/app.json"},
                           "appArmorProfile": {"type": "Localhost", "localhostProfile": "k8s-app"}},
       "stdin": true, "stdinOnce": true, "tty": true}
    ],
    "ephemeralContainers": [
      {"name": "debugger", "image": "busybox:1.36", "command": ["sh"], "stdin": true, "tty": true, "resources": {},
       "targetContainerName": "app"}
    ],
    "restartPolicy": "Always",
    "terminationGracePeriodSeconds": 45,
    "activeDeadlineSeconds": 3600,
    "dnsPolicy": "None",
    "nodeSelector": {"disktype": "ssd"},
    "serviceAccountName": "builder",
    "serviceAccount": "builder",
    "automountServiceAccountToken": false,
    "nodeName": "node-1",
    "hostNetwork": true,
    "hostPID": true,
    "hostIPC": true,
    "shareProcessNamespace": false,
    "securityContext": {"seLinuxOptions": {"level": "s0:c123,c456"},
                        "windowsOptions": {"runAsUserName": "ContainerAdministrator"},
                        "runAsUser": 1000, "runAsGroup": 3000, "runAsNonRoot": true,
                        "supplementalGroups": [4000, 5000], "supplementalGroupsPolicy": "Strict",
                        "fsGroup": 2000, "sysctls": [{"name": "net.core.somaxconn", "value": "1024"}],
                        "fsGroupChangePolicy": "OnRootMismatch",
                        "seccompProfile": {"type": "RuntimeDefault"},
                        "appArmorProfile": {"type": "RuntimeDefault"},
                        "seLinuxChangePolicy": "MountOption"},
    "imagePullSecrets": [{"name": "registry"}],
    "hostname": "web",
    "subdomain": "frontend",
    "affinity": {
      "nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
          {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a", "b"]}],
           "matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}]},
        "preferredDuringSchedulingIgnoredDuringExecution": [
          {"weight": 10, "preference": {"matchExpressions": [{"key": "size", "operator": "Gt", "values": ["2"]}]}}]},
      "podAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [
          {"labelSelector": {"matchLabels": {"app": "cache"}}, "namespaces": ["default"],
           "topologyKey": "kubernetes.io/hostname", "namespaceSelector": {"matchLabels": {"team": "a"}},
           "matchLabelKeys": ["pod-template-hash"], "mismatchLabelKeys": ["tenant"]}],
        "preferredDuringSchedulingIgnoredDuringExecution": [
          {"weight": 50, "podAffinityTerm": {"labelSelector": {"matchExpressions": [{"key": "app", "operator": "Exists"},
                                                                                     {"key": "tier", "operator": "In", "values": ["front"]}]},
                                             "topologyKey": "topology.kubernetes.io/zone"}}]},
      "podAntiAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [
          {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "kubernetes.io/hostname"}]}},
    "schedulerName": "default-scheduler",
    "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoExecute", "tolerationSeconds": 60}],
    "hostAliases": [{"ip": "10.0.0.10", "hostnames": ["db.local", "cache.local"]}],
    "priorityClassName": "high",
    "priority": 1000,
    "dnsConfig": {"nameservers": ["10.0.0.53"], "searches": ["svc.cluster.local", "example.com."],
                  "options": [{"name": "ndots", "value": "2"}, {"name": "edns0"}]},
    "readinessGates": [{"conditionType": "example.com/feature-ready"}],
    "runtimeClassName": "gvisor",
    "enableServiceLinks": false,
    "preemptionPolicy": "Never",
    "overhead": {"cpu": "100m", "memory": "32Mi"},
    "topologySpreadConstraints": [
      {"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule",
       "labelSelector": {"matchLabels": {"app": "web"}}, "minDomains": 2, "nodeAffinityPolicy": "Honor",
       "nodeTaintsPolicy": "Ignore", "matchLabelKeys": ["pod-template-hash"]}],
    "setHostnameAsFQDN": true,
    "os": {"name": "linux"},
    "hostUsers": false,
    "schedulingGates": [{"name": "example.com/quota"}],
    "resourceClaims": [{"name": "gpu", "resourceClaimTemplateName": "gpu-template"},
                       {"name": "shared", "resourceClaimName": "shared-claim"}],
    "resources": {"limits": {"cpu": "2", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "512Mi"}}
  },
  "status": {}
})json";

/// A readable name of a C++ type (for messages).
template <class T>
std::string type_name() {
  int status = 0;
  char* name = abi::__cxa_demangle(typeid(T).name(), nullptr, nullptr, &status);
  std::string out = status == 0 ? name : typeid(T).name();
  std::free(name);
  return out;
}

/// A field of a described struct: "kactor::api::Probe.grpc".
using Field = std::string;

template <class T>
void all_fields(std::set<Field>& out, std::set<std::string>& seen_types);

/// Visits a struct's description, recording its fields and walking into their types.
struct FieldTypes {
  std::string owner;
  std::set<Field>& out;
  std::set<std::string>& seen_types;
  template <class F>
  void operator()(const char* name, F&, uint32_t = 0) {
    out.insert(owner + "." + name);
    all_fields<F>(out, seen_types);
  }
};

/// Every field of every described struct reachable from T (through optionals and lists;
/// maps are leaves: their keys are data).
template <class T>
void all_fields(std::set<Field>& out, std::set<std::string>& seen_types) {
  if constexpr (requires(T & x) {
                  x.has_value();
                  typename T::value_type;
                }) {
    all_fields<typename T::value_type>(out, seen_types);
  } else if constexpr (requires { typename T::mapped_type; }) {
  } else if constexpr (!std::is_same_v<T, std::string> && requires(T & x) {
                         typename T::value_type;
                         x.begin();
                       }) {
    all_fields<typename T::value_type>(out, seen_types);
  } else if constexpr (Described<T>) {
    if (!seen_types.insert(type_name<T>()).second) return;
    T x{};
    FieldTypes visitor{type_name<T>(), out, seen_types};
    describe(visitor, x);
  }
}

template <class T>
void set_fields(const T& value, std::set<Field>& out);

/// Visits a value's description, recording the fields it sets (what the JSON codec writes)
/// and walking into them.
struct SetFields {
  std::string owner;
  std::set<Field>& out;
  template <class F>
  void operator()(const char* name, F& field, uint32_t = 0) {
    if (json_codec::is_empty(field)) return;
    out.insert(owner + "." + name);
    set_fields(field, out);
  }
};

template <class T>
void set_fields(const T& value, std::set<Field>& out) {
  if constexpr (requires {
                  value.has_value();
                  typename T::value_type;
                }) {
    if (value) set_fields(*value, out);
  } else if constexpr (requires { typename T::mapped_type; }) {
  } else if constexpr (!std::is_same_v<T, std::string> && requires {
                         typename T::value_type;
                         value.begin();
                       }) {
    for (const auto& e : value) set_fields(e, out);
  } else if constexpr (Described<T>) {
    SetFields visitor{type_name<T>(), out};
    describe(visitor, const_cast<T&>(value));
  }
}

/// The JSON paths (object keys joined by '.', arrays transparent) kactor describes under
/// `prefix` for type T, to check upstream's field names against.
template <class T>
void described_paths(const std::string& prefix, std::set<std::string>& out);

struct PathCollector {
  const std::string& prefix;
  std::set<std::string>& out;

  template <class F>
  void operator()(const char* name, F&, uint32_t = 0) {
    std::string path = prefix + "." + name;
    out.insert(path);
    described_paths<F>(path, out);
  }
};

template <class T>
void described_paths(const std::string& prefix, std::set<std::string>& out) {
  if constexpr (requires(T & x) {
                  x.has_value();
                  typename T::value_type;
                }) {
    described_paths<typename T::value_type>(prefix, out);
  } else if constexpr (requires { typename T::mapped_type; }) {
  } else if constexpr (!std::is_same_v<T, std::string> && requires(T & x) {
                         typename T::value_type;
                         x.begin();
                       }) {
    described_paths<typename T::value_type>(prefix, out);
  } else if constexpr (Described<T>) {
    T x{};
    PathCollector c{prefix, out};
    describe(c, x);
  }
}

std::set<std::string> pod_spec_paths() {
  std::set<std::string> paths;
  described_paths<PodSpec>("spec", paths);
  return paths;
}

std::unique_ptr<Object> decode_strict(const json& doc) {
  auto obj = decode_json(doc, DecodeOptions{.strict = true});
  if (!obj) FAIL(obj.error().message);
  return std::move(*obj);
}

}  // namespace

TEST_CASE("a pod setting every PodSpec field comes back from JSON unchanged", "[api][pod]") {
  const json doc = json::parse(kPodWithEveryField);
  auto pod = decode_strict(doc);  // strict: every field is known
  json out = encode_json(*pod);
  INFO("differences (RFC 6902 patch from sent to returned): " << json::diff(doc, out).dump());
  CHECK(out == doc);
}

TEST_CASE("a pod setting every PodSpec field is written as text as the tree writes it", "[api][pod]") {
  const json doc = json::parse(kPodWithEveryField);
  auto pod = decode_strict(doc);
  const std::string text = encode_json_string(*pod);
  const json back = json::parse(text);
  INFO("differences (RFC 6902 patch from tree to text): " << json::diff(encode_json(*pod), back).dump());
  CHECK(back == encode_json(*pod));
  CHECK(text.starts_with(R"({"kind":"Pod","apiVersion":"v1","metadata":{)"));
}

TEST_CASE("a pod setting every PodSpec field comes back from msgpack unchanged", "[api][pod]") {
  const json doc = json::parse(kPodWithEveryField);
  auto pod = decode_strict(doc);
  auto back = decode_msgpack(Pod::static_type(), encode_msgpack(*pod));
  REQUIRE(back.has_value());
  CHECK(Pod::static_type().equal(*pod, **back));
  CHECK(encode_json(**back) == doc);
}

TEST_CASE("the every-field manifest sets every field kactor describes", "[api][pod]") {
  // Every field of every struct a PodSpec is made of is set somewhere in the manifest, so
  // the round trips above cover them all; a field added to a description without adding it
  // here fails this test.
  auto pod = decode_strict(json::parse(kPodWithEveryField));
  std::set<Field> set_in_manifest;
  set_fields(as<Pod>(*pod)->spec, set_in_manifest);
  // An ephemeral container's fields are a Container's (inline): covered where Container's are.
  const std::string ephemeral = type_name<EphemeralContainer>() + ".";
  const std::string container = type_name<Container>() + ".";
  for (auto field : std::set<Field>(set_in_manifest))
    if (field.starts_with(container))
      set_in_manifest.insert(ephemeral + field.substr(container.size()));
  std::set<Field> described;
  std::set<std::string> seen_types;
  all_fields<PodSpec>(described, seen_types);
  for (const auto& field : described) {
    INFO(field);
    CHECK(set_in_manifest.contains(field));
  }
}

TEST_CASE("kactor describes every field of upstream's 1.32 PodSpec", "[api][pod]") {
  // From k8s.io/api core/v1 (release-1.32): PodSpec, Container (EphemeralContainer adds
  // targetContainerName), VolumeSource, the security contexts, probes and hooks.
  const std::vector<std::string> upstream = {
      // PodSpec
      "volumes",
      "initContainers",
      "containers",
      "ephemeralContainers",
      "restartPolicy",
      "terminationGracePeriodSeconds",
      "activeDeadlineSeconds",
      "dnsPolicy",
      "nodeSelector",
      "serviceAccountName",
      "serviceAccount",
      "automountServiceAccountToken",
      "nodeName",
      "hostNetwork",
      "hostPID",
      "hostIPC",
      "shareProcessNamespace",
      "securityContext",
      "imagePullSecrets",
      "hostname",
      "subdomain",
      "affinity",
      "schedulerName",
      "tolerations",
      "hostAliases",
      "priorityClassName",
      "priority",
      "dnsConfig",
      "readinessGates",
      "runtimeClassName",
      "enableServiceLinks",
      "preemptionPolicy",
      "overhead",
      "topologySpreadConstraints",
      "setHostnameAsFQDN",
      "os",
      "hostUsers",
      "schedulingGates",
      "resourceClaims",
      "resources",
      // Container
      "containers.name",
      "containers.image",
      "containers.command",
      "containers.args",
      "containers.workingDir",
      "containers.ports",
      "containers.envFrom",
      "containers.env",
      "containers.resources",
      "containers.resizePolicy",
      "containers.restartPolicy",
      "containers.volumeMounts",
      "containers.volumeDevices",
      "containers.livenessProbe",
      "containers.readinessProbe",
      "containers.startupProbe",
      "containers.lifecycle",
      "containers.terminationMessagePath",
      "containers.terminationMessagePolicy",
      "containers.imagePullPolicy",
      "containers.securityContext",
      "containers.stdin",
      "containers.stdinOnce",
      "containers.tty",
      "containers.resources.claims",
      "containers.resources.claims.request",
      "ephemeralContainers.targetContainerName",
      "containers.env.valueFrom.fieldRef",
      "containers.env.valueFrom.resourceFieldRef",
      "containers.env.valueFrom.configMapKeyRef",
      "containers.env.valueFrom.secretKeyRef",
      "containers.volumeMounts.recursiveReadOnly",
      "containers.volumeMounts.mountPropagation",
      "containers.volumeMounts.subPathExpr",
      "containers.livenessProbe.grpc",
      "containers.livenessProbe.httpGet.httpHeaders",
      "containers.lifecycle.preStop.sleep",
      "containers.securityContext.capabilities",
      "containers.securityContext.privileged",
      "containers.securityContext.seLinuxOptions",
      "containers.securityContext.windowsOptions",
      "containers.securityContext.runAsUser",
      "containers.securityContext.runAsGroup",
      "containers.securityContext.runAsNonRoot",
      "containers.securityContext.readOnlyRootFilesystem",
      "containers.securityContext.allowPrivilegeEscalation",
      "containers.securityContext.procMount",
      "containers.securityContext.seccompProfile",
      "containers.securityContext.appArmorProfile",
      // PodSecurityContext
      "securityContext.seLinuxOptions",
      "securityContext.windowsOptions",
      "securityContext.runAsUser",
      "securityContext.runAsGroup",
      "securityContext.runAsNonRoot",
      "securityContext.supplementalGroups",
      "securityContext.supplementalGroupsPolicy",
      "securityContext.fsGroup",
      "securityContext.sysctls",
      "securityContext.fsGroupChangePolicy",
      "securityContext.seccompProfile",
      "securityContext.appArmorProfile",
      "securityContext.seLinuxChangePolicy",
      // VolumeSource
      "volumes.hostPath",
      "volumes.emptyDir",
      "volumes.gcePersistentDisk",
      "volumes.awsElasticBlockStore",
      "volumes.gitRepo",
      "volumes.secret",
      "volumes.nfs",
      "volumes.iscsi",
      "volumes.glusterfs",
      "volumes.persistentVolumeClaim",
      "volumes.rbd",
      "volumes.flexVolume",
      "volumes.cinder",
      "volumes.cephfs",
      "volumes.flocker",
      "volumes.downwardAPI",
      "volumes.fc",
      "volumes.azureFile",
      "volumes.configMap",
      "volumes.vsphereVolume",
      "volumes.quobyte",
      "volumes.azureDisk",
      "volumes.photonPersistentDisk",
      "volumes.projected",
      "volumes.portworxVolume",
      "volumes.scaleIO",
      "volumes.storageos",
      "volumes.csi",
      "volumes.ephemeral",
      "volumes.image",
      "volumes.secret.items",
      "volumes.secret.defaultMode",
      "volumes.configMap.items",
      "volumes.configMap.defaultMode",
      // placement
      "affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution.matchLabelKeys",
      "affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution.mismatchLabelKeys",
      "topologySpreadConstraints.maxSkew",
      "topologySpreadConstraints.topologyKey",
      "topologySpreadConstraints.whenUnsatisfiable",
      "topologySpreadConstraints.labelSelector",
      "topologySpreadConstraints.minDomains",
      "topologySpreadConstraints.nodeAffinityPolicy",
      "topologySpreadConstraints.nodeTaintsPolicy",
      "topologySpreadConstraints.matchLabelKeys",
      "dnsConfig.nameservers",
      "dnsConfig.searches",
      "dnsConfig.options",
      "resourceClaims.resourceClaimName",
      "resourceClaims.resourceClaimTemplateName",
  };
  const auto described = pod_spec_paths();
  for (const auto& field : upstream) {
    INFO("spec." << field);
    CHECK(described.contains("spec." + field));
  }
}

TEST_CASE("a sub-object kactor carries as raw JSON must be an object", "[api][pod]") {
  json doc = json::parse(kPodWithEveryField);
  doc["spec"]["volumes"][6]["nfs"] = "nfs.example.com:/export";
  auto refused = decode_json(doc);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == 400);
  REQUIRE(refused.error().details.causes.size() == 1);
  CHECK(refused.error().details.causes[0].field == "spec.volumes[6].nfs");
  CHECK(refused.error().details.causes[0].message == "expected object, got string");
}
