// The cluster's PKI: a CA, the API server's serving certificate, the admin's client certificate
// and the admin's bearer token, created once in a directory and reused on later starts.
//
// Key material comes from OpenSSL's CSPRNG (RAND_bytes, EVP_EC_gen), deliberately not from the
// cluster's seeded kactor::Random: a key that a seed reproduces is no secret. Time, which decides
// validity periods and renewal, is passed in (`now`), so tests can move it.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "actors/http/x509_inspect.hpp"
#include "api/status.hpp"
#include "api/time/clock.hpp"

namespace kactor::http {

// -- identities and lifetimes -------------------------------------------------------------------

/// The cluster CA's commonName.
inline constexpr std::string_view kCaCommonName = "kactor-ca";
/// The serving certificate's commonName (kubeadm's name for it).
inline constexpr std::string_view kApiserverCommonName = "kube-apiserver";
/// The admin user: the client certificate's commonName and the bearer token's user name.
inline constexpr std::string_view kAdminUser = "kactor-admin";
/// The admin's group, which upstream's RBAC binds to cluster-admin.
inline constexpr std::string_view kAdminGroup = "system:masters";
/// The API server's identity towards kubelets (kubeadm's apiserver-kubelet-client: that
/// commonName, in system:masters).
inline constexpr std::string_view kKubeletClientCommonName = "kube-apiserver-kubelet-client";

inline constexpr Duration kCaLifetime = std::chrono::days(3650);
inline constexpr Duration kLeafLifetime = std::chrono::days(365);
/// A serving or admin certificate that expires within this is re-issued at start.
inline constexpr Duration kRenewBefore = std::chrono::days(30);

// -- the files in the PKI directory (kubeadm's names where it has one) --------------------------

inline constexpr std::string_view kCaCertFile = "ca.crt";
inline constexpr std::string_view kCaKeyFile = "ca.key";
inline constexpr std::string_view kServerCertFile = "apiserver.crt";
inline constexpr std::string_view kServerKeyFile = "apiserver.key";
inline constexpr std::string_view kAdminCertFile = "admin.crt";
inline constexpr std::string_view kAdminKeyFile = "admin.key";
inline constexpr std::string_view kAdminTokenFile = "admin.token";
inline constexpr std::string_view kKubeletClientCertFile = "apiserver-kubelet-client.crt";
inline constexpr std::string_view kKubeletClientKeyFile = "apiserver-kubelet-client.key";

/// Everything the HTTPS server, authentication and the kubeconfig need, as PEM text.
struct ClusterPki {
  std::string ca_cert_pem;
  std::string server_cert_pem;
  std::string server_key_pem;
  std::string admin_cert_pem;
  std::string admin_key_pem;
  /// What the API server (and the metrics server) presents to kubelets' 10250 API.
  std::string kubelet_client_cert_pem;
  std::string kubelet_client_key_pem;
  /// 64 lower-case hex digits (32 random bytes): safe in a header and in YAML unquoted.
  std::string admin_token;
  std::filesystem::path dir;
  /// What this call created or re-issued and why, one line each ("apiserver.crt: issued: the
  /// requested hosts changed"), for the caller to log; empty when everything was reused.
  std::vector<std::string> changes;
};

/// The serving certificate's subjectAltNames for `extra_hosts`: each entry an IP address (v4 or
/// v6) or a DNS name, plus 127.0.0.1, ::1, 10.96.0.1 (the first service IP, which the
/// `kubernetes` Service gets), localhost and kubernetes, kubernetes.default,
/// kubernetes.default.svc, kubernetes.default.svc.cluster.local. BadRequest naming the entry
/// ("extra_hosts[1]") when one is neither.
api::Result<SubjectAltNames> serving_alt_names(const std::vector<std::string>& extra_hosts);

/// Loads the PKI from `dir` (created, mode 0700, if missing), creating what is missing:
///  - the CA (EC P-256, self-signed, 10 years) is created once and then always kept: replacing
///    it would invalidate every kubeconfig handed out;
///  - the serving certificate (1 year, serverAuth) is re-issued, with a new key, when the
///    requested hosts differ from its SANs, it expires within kRenewBefore of `now`, it is not
///    signed by the CA, or its key file holds another key;
///  - the admin certificate (CN kactor-admin, O system:masters, 1 year, clientAuth) likewise,
///    but for the hosts;
///  - the apiserver-kubelet-client certificate (CN kube-apiserver-kubelet-client, O
///    system:masters, 1 year, clientAuth) likewise;
///  - the admin token is created once.
/// Keys and the token are written 0600, certificates 0644, each atomically (key before its
/// certificate, so an interrupted first start leaves a key without a certificate, which the next
/// start replaces). A file that exists but does not parse, or a CA certificate without its key,
/// is an InternalError naming the file: never silently replaced, since that could lock every
/// client out. EC P-256 rather than RSA 2048: as strong as RSA 3072, a key takes a millisecond
/// to make instead of ~100 ms, handshakes are cheaper, and kubectl, Go and OpenSSL all accept it.
api::Result<ClusterPki> ensure_cluster_pki(const std::filesystem::path& dir,
                                           const std::vector<std::string>& extra_hosts,
                                           TimePoint now);

/// A certificate and its key, as PEM.
struct PemPair {
  std::string cert_pem;
  std::string key_pem;
  bool operator==(const PemPair&) const = default;
};

/// A self-signed serving certificate (EC P-256, 1 year, serverAuth) for `hosts` (IP addresses
/// or DNS names), made in memory: what a kubelet serves with when given no
/// --tls-cert-file (upstream's kubelet likewise makes a self-signed one, CN <host>@<time>).
api::Result<PemPair> self_signed_serving_pair(const std::string& common_name,
                                              const std::vector<std::string>& hosts, TimePoint now);

/// The same, signed by the CA `ca` (e.g. a kubelet serving certificate that a client
/// with --kubelet-certificate-authority verifies). BadRequest when `ca` does not parse.
api::Result<PemPair> serving_pair_signed_by(const PemPair& ca, const std::string& common_name,
                                            const std::vector<std::string>& hosts, TimePoint now);

}  // namespace kactor::http
