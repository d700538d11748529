// A pod's volumes (upstream core/v1 Volume and VolumeSource).
//
// Typed: the sources kactor reads or validates (emptyDir, hostPath, configMap, secret,
// persistentVolumeClaim). Every other upstream source (nfs, csi, projected, downwardAPI,
// ephemeral, image, the deprecated in-tree cloud disks, ...) is a RawJson: kactor has no
// driver for them and never looks inside, so it stores and serves them exactly as given
// instead of describing ~25 structs nobody reads. The cost: their insides are not
// type-checked or validated (see docs/api.md, "How kactor carries fields it does not use").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/describe.hpp"
#include "api/quantity/quantity.hpp"
#include "api/types/boxed.hpp"
#include "api/types/values.hpp"

namespace kactor::api {

/// One key of a ConfigMap or Secret projected to a file.
struct KeyToPath {
  std::string key;
  std::string path;
  std::optional<int32_t> mode;
  bool operator==(const KeyToPath&) const = default;
};
template <class V>
void describe(V& v, KeyToPath& x) {
  v("key", x.key, keep_zero);
  v("path", x.path, keep_zero);
  v("mode", x.mode);
}

struct ConfigMapVolumeSource {
  std::string name;
  std::optional<bool> optional;
  std::vector<KeyToPath> items;
  std::optional<int32_t> default_mode;
  bool operator==(const ConfigMapVolumeSource&) const = default;
};
template <class V>
void describe(V& v, ConfigMapVolumeSource& x) {
  v("name", x.name);
  v("items", x.items);
  v("defaultMode", x.default_mode);
  v("optional", x.optional);
}

struct SecretVolumeSource {
  std::string secret_name;
  std::optional<bool> optional;
  std::vector<KeyToPath> items;
  std::optional<int32_t> default_mode;
  bool operator==(const SecretVolumeSource&) const = default;
};
template <class V>
void describe(V& v, SecretVolumeSource& x) {
  v("secretName", x.secret_name);
  v("items", x.items);
  v("defaultMode", x.default_mode);
  v("optional", x.optional);
}

struct EmptyDirVolumeSource {
  std::string medium;
  std::optional<Quantity> size_limit;
  bool operator==(const EmptyDirVolumeSource&) const = default;
};
template <class V>
void describe(V& v, EmptyDirVolumeSource& x) {
  v("medium", x.medium);
  v("sizeLimit", x.size_limit);
}

struct PersistentVolumeClaimVolumeSource {
  std::string claim_name;
  bool read_only = false;
  bool operator==(const PersistentVolumeClaimVolumeSource&) const = default;
};
template <class V>
void describe(V& v, PersistentVolumeClaimVolumeSource& x) {
  v("claimName", x.claim_name, keep_zero);
  v("readOnly", x.read_only);
}

struct HostPathVolumeSource {
  std::string path;
  std::string type;
  bool operator==(const HostPathVolumeSource&) const = default;
};
template <class V>
void describe(V& v, HostPathVolumeSource& x) {
  v("path", x.path, keep_zero);
  v("type", x.type);
}

/// The sources kactor carries without interpreting them (one RawJson each).
struct OpaqueVolumeSources {
  RawJson gce_persistent_disk;
  RawJson aws_elastic_block_store;
  RawJson git_repo;
  RawJson nfs;
  RawJson iscsi;
  RawJson glusterfs;
  RawJson rbd;
  RawJson flex_volume;
  RawJson cinder;
  RawJson cephfs;
  RawJson flocker;
  RawJson downward_api;
  RawJson fc;
  RawJson azure_file;
  RawJson vsphere_volume;
  RawJson quobyte;
  RawJson azure_disk;
  RawJson photon_persistent_disk;
  RawJson portworx_volume;
  RawJson scale_io;
  RawJson projected;
  RawJson storageos;
  RawJson csi;
  RawJson ephemeral;
  RawJson image;
  bool operator==(const OpaqueVolumeSources&) const = default;
};

/// The typed sources are boxed (see boxed.hpp): a volume has exactly one source.
struct Volume {
  std::string name;
  Boxed<EmptyDirVolumeSource> empty_dir;
  Boxed<ConfigMapVolumeSource> config_map;
  Boxed<SecretVolumeSource> secret;
  Boxed<PersistentVolumeClaimVolumeSource> persistent_volume_claim;
  Boxed<HostPathVolumeSource> host_path;
  OpaqueVolumeSources opaque;
  bool operator==(const Volume&) const = default;
};
/// Sources in upstream's validation order, so the one reported as "more than 1 volume
/// type" is the one upstream reports.
template <class V>
void describe(V& v, Volume& x) {
  auto& o = x.opaque;
  v("name", x.name, keep_zero);
  v("emptyDir", x.empty_dir);
  v("hostPath", x.host_path);
  v("gitRepo", o.git_repo);
  v("gcePersistentDisk", o.gce_persistent_disk);
  v("awsElasticBlockStore", o.aws_elastic_block_store);
  v("secret", x.secret);
  v("nfs", o.nfs);
  v("iscsi", o.iscsi);
  v("glusterfs", o.glusterfs);
  v("persistentVolumeClaim", x.persistent_volume_claim);
  v("rbd", o.rbd);
  v("flexVolume", o.flex_volume);
  v("cinder", o.cinder);
  v("cephfs", o.cephfs);
  v("flocker", o.flocker);
  v("downwardAPI", o.downward_api);
  v("fc", o.fc);
  v("azureFile", o.azure_file);
  v("vsphereVolume", o.vsphere_volume);
  v("quobyte", o.quobyte);
  v("azureDisk", o.azure_disk);
  v("photonPersistentDisk", o.photon_persistent_disk);
  v("portworxVolume", o.portworx_volume);
  v("scaleIO", o.scale_io);
  v("configMap", x.config_map);
  v("projected", o.projected);
  v("storageos", o.storageos);
  v("csi", o.csi);
  v("ephemeral", o.ephemeral);
  v("image", o.image);
}

/// The JSON names of the sources set in `v` ("emptyDir", "nfs", ...), in upstream's
/// validation order. A valid volume has exactly one; none is defaulted to emptyDir.
std::vector<std::string_view> volume_sources(const Volume& v);

/// The projected source of the kube-api-access-<random> volume the ServiceAccount admission
/// adds to pods (the account's token, the cluster CA, the namespace), as upstream writes it.
RawJson kube_api_access_projection();

}  // namespace kactor::api
