// The certificates of a cluster whose roles run as separate processes (`kactor certs`,
// docs/multi-host.md "Security"): beside the cluster PKI of pki.hpp (CA, the API server's
// serving certificate, the admin), one client certificate per component and per node, with
// the identities upstream gives them. Made by the same issuer, in the same directory.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/http/exchange.hpp"  // UserInfo
#include "actors/http/pki.hpp"

namespace kactor::http {

// -- identities (upstream's user names and group) ------------------------------------------------

inline constexpr std::string_view kControllerManagerUser = "system:kube-controller-manager";
inline constexpr std::string_view kSchedulerUser = "system:kube-scheduler";
/// A node's user is kNodeUserPrefix + its name, in group kNodesGroup (upstream's node
/// authorizer and NodeRestriction recognise a node by both).
inline constexpr std::string_view kNodeUserPrefix = "system:node:";
inline constexpr std::string_view kNodesGroup = "system:nodes";

/// The node a user is, as upstream's node identifier reads it: the name after "system:node:"
/// when the user is in system:nodes; nullopt for any other user (or an empty name).
std::optional<std::string> node_name_of(const UserInfo& user);

// -- files: stems under the PKI directory, each with ".crt" and ".key" ---------------------------

inline constexpr std::string_view kControllerManagerStem = "controller-manager";
inline constexpr std::string_view kSchedulerStem = "scheduler";
/// Node certificates live in a subdirectory, one pair per node: nodes/<name>.crt, .key.
inline constexpr std::string_view kNodesDir = "nodes";
/// The kubelets' serving certificates, one pair per node: kubelet-serving/<name>.crt, .key.
inline constexpr std::string_view kKubeletServingDir = "kubelet-serving";

/// `<dir>/<stem>.crt` and `<dir>/<stem>.key`.
std::filesystem::path certificate_path(const std::filesystem::path& dir, std::string_view stem);
std::filesystem::path key_path(const std::filesystem::path& dir, std::string_view stem);
/// The stem of node `name`'s pair: "nodes/<name>".
std::string node_stem(std::string_view name);
/// The stem of node `name`'s kubelet serving pair: "kubelet-serving/<name>".
std::string kubelet_serving_stem(std::string_view name);

/// A client certificate (clientAuth, one year) for `common_name` in `organizations`, signed by
/// the CA in `dir` (created there if missing), at `cert_file` with its key at `key_file` (their
/// directory created if missing): kept while it fits, re-issued as the admin certificate is.
/// Returns the changes as ensure_cluster_pki's, files named relative to `dir`. (Defined in
/// pki.cpp, beside the cluster PKI's other pairs.)
api::Result<std::vector<std::string>> ensure_client_certificate(
    const std::filesystem::path& dir, const std::filesystem::path& cert_file,
    const std::filesystem::path& key_file, const std::string& common_name,
    const std::vector<std::string>& organizations, TimePoint now);

/// The same, for a serving certificate (serverAuth) naming `dns_names` (subjectAltNames);
/// re-issued also when they change.
api::Result<std::vector<std::string>> ensure_serving_certificate(
    const std::filesystem::path& dir, const std::filesystem::path& cert_file,
    const std::filesystem::path& key_file, const std::string& common_name,
    const std::vector<std::string>& organizations, const std::vector<std::string>& dns_names,
    TimePoint now);

/// What `kactor certs` is asked to make.
struct RolePkiRequest {
  /// Extra subjectAltNames of the API server's certificate (serving_alt_names()).
  std::vector<std::string> hosts;
  /// Node names (DNS subdomains) to issue a certificate for each.
  std::vector<std::string> nodes;
};

/// Ensures, in `dir`: the cluster PKI (ensure_cluster_pki: CA, apiserver.crt with `hosts`,
/// admin.crt, admin.token), controller-manager.crt (CN system:kube-controller-manager),
/// scheduler.crt (CN system:kube-scheduler) and nodes/<name>.crt for each node (CN
/// system:node:<name>, O system:nodes), all client certificates (clientAuth); and for each
/// node its kubelet's serving certificate kubelet-serving/<name>.crt (serverAuth, the same
/// subject as upstream's kubelet-serving signer gives, the node's name as its DNS
/// subjectAltName: what --kubelet-certificate-authority checks). One year, EC P-256, reused
/// on a later call while they still fit (subject, names, CA, 30 days left), as the admin
/// certificate is. Returns the changes, one line each ("nodes/a.crt: created").
/// BadRequest naming the entry ("nodes[2]") for a node name that is not a DNS subdomain.
api::Result<std::vector<std::string>> ensure_role_pki(const std::filesystem::path& dir,
                                                      const RolePkiRequest& request,
                                                      TimePoint now);

}  // namespace kactor::http
