#include "actors/http/pki.hpp"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <array>

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <system_error>

#include "actors/http/files.hpp"
#include "actors/http/detail/issue.hpp"
#include "actors/http/openssl_ptr.hpp"
#include "actors/http/pki_lock.hpp"
#include "actors/http/role_pki.hpp"

namespace kactor::http {
namespace {

namespace fs = std::filesystem;
using detail::CertificateRole;
using detail::CertificateSpec;

constexpr auto kKeyMode = fs::perms::owner_read | fs::perms::owner_write;
constexpr auto kCertMode = kKeyMode | fs::perms::group_read | fs::perms::others_read;
constexpr size_t kTokenBytes = 32;

/// The `changes` line for a file made for the first time.
std::string created(std::string_view file) {
  std::string line(file);
  line.append(": created");
  return line;
}

/// A certificate and its key, parsed, with the PEM text they came from or were written as.
struct KeyPair {
  X509Ptr cert;
  EvpPkeyPtr key;
  std::string cert_pem;
  std::string key_pem;
};

/// Where one key pair lives: `<dir>/<cert_file>` and `<dir>/<key_file>`.
struct PairFiles {
  fs::path cert;
  fs::path key;
};

PairFiles pair_files(const fs::path& dir, std::string_view cert_file, std::string_view key_file) {
  return {dir / cert_file, dir / key_file};
}

api::Status unreadable(const fs::path& path, std::string_view what) {
  ERR_clear_error();
  return api::internal_error(path.string() + ": holds no PEM " + std::string(what) +
                             " that OpenSSL can read (restore it, or remove it to start afresh)");
}

/// The pair on disk, nullopt when the certificate file does not exist (a key without its
/// certificate is what an interrupted first issuance leaves: it is replaced).
api::Result<std::optional<KeyPair>> load_pair(const PairFiles& files) {
  auto cert_text = read_small_file(files.cert);
  if (!cert_text) return api::fail(cert_text.error());
  if (!*cert_text) return std::nullopt;
  auto key_text = read_small_file(files.key);
  if (!key_text) return api::fail(key_text.error());
  if (!*key_text) {
    return api::fail(api::internal_error(files.key.string() + ": missing, while " +
                                         files.cert.string() + " exists"));
  }
  KeyPair pair{parse_certificate_pem(**cert_text), parse_private_key_pem(**key_text),
               std::move(**cert_text), std::move(**key_text)};
  if (!pair.cert) return api::fail(unreadable(files.cert, "certificate"));
  if (!pair.key) return api::fail(unreadable(files.key, "private key"));
  return pair;
}

/// A new key and a certificate for it as `spec` says, written to `files` (key first).
api::Result<KeyPair> issue_pair(const PairFiles& files, const CertificateSpec& spec,
                                const KeyPair* issuer, TimePoint now) {
  auto key = detail::generate_key();
  if (!key) return api::fail(key.error());
  EVP_PKEY* signing_key = issuer != nullptr ? issuer->key.get() : key->get();
  auto cert = detail::issue_certificate(spec, key->get(), issuer ? issuer->cert.get() : nullptr,
                                        signing_key, now);
  if (!cert) return api::fail(cert.error());
  auto key_pem = detail::private_key_pem(key->get());
  if (!key_pem) return api::fail(key_pem.error());
  auto cert_pem = detail::certificate_pem(cert->get());
  if (!cert_pem) return api::fail(cert_pem.error());
  if (auto ok = write_file_atomically(files.key, *key_pem, kKeyMode); !ok) {
    return api::fail(ok.error());
  }
  if (auto ok = write_file_atomically(files.cert, *cert_pem, kCertMode); !ok) {
    return api::fail(ok.error());
  }
  return KeyPair{std::move(*cert), std::move(*key), std::move(*cert_pem), std::move(*key_pem)};
}

/// Why `pair` no longer fits `spec` under `ca` at `now`, or nullopt when it still does.
std::optional<std::string> reason_to_reissue(const KeyPair& pair, const CertificateSpec& spec,
                                             const KeyPair& ca, TimePoint now) {
  if (X509_check_private_key(pair.cert.get(), pair.key.get()) != 1) {
    ERR_clear_error();
    return "its key file holds another key";
  }
  if (!is_signed_by(pair.cert.get(), ca.cert.get())) return "it is not signed by the cluster CA";
  if (subject_common_name(pair.cert.get()) != spec.common_name ||
      subject_organizations(pair.cert.get()) != spec.organizations) {
    return "its subject changed";
  }
  if (subject_alt_names(pair.cert.get()) != spec.alt_names) return "the requested hosts changed";
  if (expires_before(pair.cert.get(), now + kRenewBefore)) return "it expires within 30 days";
  return std::nullopt;
}

/// The cluster CA: loaded, or created when `dir` has none. Never replaced once it exists.
api::Result<KeyPair> ensure_ca(const fs::path& dir, TimePoint now,
                               std::vector<std::string>& changes) {
  auto files = pair_files(dir, kCaCertFile, kCaKeyFile);
  auto loaded = load_pair(files);
  if (!loaded) return api::fail(loaded.error());
  if (*loaded) {
    if (X509_check_private_key((*loaded)->cert.get(), (*loaded)->key.get()) != 1) {
      ERR_clear_error();
      return api::fail(
          api::internal_error(files.key.string() + ": not the key of " + files.cert.string()));
    }
    return std::move(**loaded);
  }
  CertificateSpec spec{std::string(kCaCommonName), {}, {}, CertificateRole::authority, kCaLifetime};
  auto issued = issue_pair(files, spec, nullptr, now);
  if (issued) changes.push_back(created(kCaCertFile));
  return issued;
}

/// A certificate signed by `ca`: loaded, or issued when missing or no longer fitting `spec`.
api::Result<KeyPair> ensure_leaf(const PairFiles& files, const CertificateSpec& spec,
                                 const KeyPair& ca, TimePoint now,
                                 std::vector<std::string>& changes) {
  auto loaded = load_pair(files);
  if (!loaded) return api::fail(loaded.error());
  std::optional<std::string> reason = "created";
  if (*loaded) {
    reason = reason_to_reissue(**loaded, spec, ca, now);
    if (!reason) return std::move(**loaded);
    reason = "issued again: " + *reason;
  }
  auto issued = issue_pair(files, spec, &ca, now);
  if (issued) changes.push_back(files.cert.filename().string() + ": " + *reason);
  return issued;
}

/// The token in `text` (a trailing line break allowed), or nullopt if it holds none.
std::optional<std::string> parse_token(std::string_view text) {
  while (text.ends_with('\n') || text.ends_with('\r')) text.remove_suffix(1);
  if (text.size() != 2 * kTokenBytes ||
      text.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(text);
}

/// 32 bytes from OpenSSL's CSPRNG as 64 hex digits.
api::Result<std::string> new_token() {
  std::array<unsigned char, kTokenBytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return api::fail(api::internal_error(openssl_error("admin token: RAND_bytes")));
  }
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string token(2 * kTokenBytes, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    token[2 * i] = kHex[bytes[i] >> 4];
    token[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
  return token;
}

/// The admin token from `<dir>/admin.token`, created when missing.
api::Result<std::string> ensure_token(const fs::path& dir, std::vector<std::string>& changes) {
  auto path = dir / kAdminTokenFile;
  auto text = read_small_file(path);
  if (!text) return api::fail(text.error());
  if (*text) {
    auto token = parse_token(**text);
    if (!token) {
      return api::fail(api::internal_error(
          path.string() + ": not a token (64 hex digits); remove it to create a new one"));
    }
    return std::move(*token);
  }
  auto token = new_token();
  if (!token) return token;
  std::string line = *token;
  line.push_back('\n');
  if (auto ok = write_file_atomically(path, line, kKeyMode); !ok) {
    return api::fail(ok.error());
  }
  changes.push_back(created(kAdminTokenFile));
  return token;
}

api::Result<void> ensure_directory(const fs::path& dir) {
  std::error_code ec;
  if (fs::create_directories(dir, ec)) {
    // Only the owner may list which credentials exist; the keys inside are 0600 regardless.
    fs::permissions(dir, fs::perms::owner_all, ec);
  }
  if (ec) {
    return api::fail(api::internal_error(dir.string() + ": create directory: " + ec.message()));
  }
  return {};
}

api::Result<ClusterPki> ensure_all(const fs::path& dir, const std::vector<std::string>& extra_hosts,
                                   TimePoint now) {
  auto alt_names = serving_alt_names(extra_hosts);
  if (!alt_names) return api::fail(alt_names.error());
  if (auto ok = ensure_directory(dir); !ok) return api::fail(ok.error());

  ClusterPki pki;
  pki.dir = dir;
  auto ca = ensure_ca(dir, now, pki.changes);
  if (!ca) return api::fail(ca.error());
  CertificateSpec server_spec{
      std::string(kApiserverCommonName), {}, *alt_names, CertificateRole::server, kLeafLifetime};
  auto server = ensure_leaf(pair_files(dir, kServerCertFile, kServerKeyFile), server_spec, *ca, now,
                            pki.changes);
  if (!server) return api::fail(server.error());
  CertificateSpec admin_spec{std::string(kAdminUser),
                             {std::string(kAdminGroup)},
                             {},
                             CertificateRole::client,
                             kLeafLifetime};
  auto admin = ensure_leaf(pair_files(dir, kAdminCertFile, kAdminKeyFile), admin_spec, *ca, now,
                           pki.changes);
  if (!admin) return api::fail(admin.error());
  CertificateSpec kubelet_client_spec{std::string(kKubeletClientCommonName),
                                      {std::string(kAdminGroup)},
                                      {},
                                      CertificateRole::client,
                                      kLeafLifetime};
  auto kubelet_client =
      ensure_leaf(pair_files(dir, kKubeletClientCertFile, kKubeletClientKeyFile),
                  kubelet_client_spec, *ca, now, pki.changes);
  if (!kubelet_client) return api::fail(kubelet_client.error());
  auto token = ensure_token(dir, pki.changes);
  if (!token) return api::fail(token.error());

  pki.ca_cert_pem = std::move(ca->cert_pem);
  pki.server_cert_pem = std::move(server->cert_pem);
  pki.server_key_pem = std::move(server->key_pem);
  pki.admin_cert_pem = std::move(admin->cert_pem);
  pki.admin_key_pem = std::move(admin->key_pem);
  pki.kubelet_client_cert_pem = std::move(kubelet_client->cert_pem);
  pki.kubelet_client_key_pem = std::move(kubelet_client->key_pem);
  pki.admin_token = std::move(*token);
  return pki;
}

}  // namespace

namespace {

/// ensure_client_certificate and ensure_serving_certificate: `spec`'s pair at `cert_file`
/// and `key_file`, signed by the CA in `dir`.
api::Result<std::vector<std::string>> ensure_signed_certificate(const fs::path& dir,
                                                                const fs::path& cert_file,
                                                                const fs::path& key_file,
                                                                const CertificateSpec& spec,
                                                                TimePoint now) {
  std::vector<std::string> changes;
  auto lock = PkiDirLock::acquire(dir);
  if (!lock) return api::fail(lock.error());
  if (auto ok = ensure_directory(dir); !ok) return api::fail(ok.error());
  auto ca = ensure_ca(dir, now, changes);
  if (!ca) return api::fail(ca.error());
  if (auto ok = ensure_directory(cert_file.parent_path()); !ok) return api::fail(ok.error());
  std::vector<std::string> leaf_changes;
  auto leaf = ensure_leaf({cert_file, key_file}, spec, *ca, now, leaf_changes);
  if (!leaf) return api::fail(leaf.error());
  // Name the file relative to `dir` ("nodes/a.crt: created"), not just its file name.
  for (auto& line : leaf_changes) {
    auto relative = cert_file.lexically_relative(dir).string();
    changes.push_back(relative + line.substr(line.find(':')));
  }
  return changes;
}

}  // namespace

api::Result<std::vector<std::string>> ensure_client_certificate(
    const fs::path& dir, const fs::path& cert_file, const fs::path& key_file,
    const std::string& common_name, const std::vector<std::string>& organizations, TimePoint now) {
  return ensure_signed_certificate(
      dir, cert_file, key_file,
      CertificateSpec{common_name, organizations, {}, CertificateRole::client, kLeafLifetime}, now);
}

api::Result<std::vector<std::string>> ensure_serving_certificate(
    const fs::path& dir, const fs::path& cert_file, const fs::path& key_file,
    const std::string& common_name, const std::vector<std::string>& organizations,
    const std::vector<std::string>& dns_names, TimePoint now) {
  CertificateSpec spec{common_name, organizations, {}, CertificateRole::server, kLeafLifetime};
  spec.alt_names.dns_names = dns_names;
  return ensure_signed_certificate(dir, cert_file, key_file, spec, now);
}

namespace {

/// A serving certificate for `hosts`, made in memory, signed by `issuer` (self-signed when
/// null).
api::Result<PemPair> serving_pair(const std::string& common_name,
                                  const std::vector<std::string>& hosts, TimePoint now,
                                  const KeyPair* issuer) {
  CertificateSpec spec{common_name, {}, {}, CertificateRole::server, kLeafLifetime};
  for (const auto& h : hosts) {
    boost::system::error_code ec;
    auto ip = boost::asio::ip::make_address(h, ec);
    if (ec)
      spec.alt_names.dns_names.push_back(h);
    else
      spec.alt_names.ip_addresses.push_back(ip.to_string());
  }
  auto key = detail::generate_key();
  if (!key) return api::fail(key.error());
  auto cert = detail::issue_certificate(spec, key->get(), issuer ? issuer->cert.get() : nullptr,
                                        issuer ? issuer->key.get() : key->get(), now);
  if (!cert) return api::fail(cert.error());
  auto key_pem = detail::private_key_pem(key->get());
  if (!key_pem) return api::fail(key_pem.error());
  auto cert_pem = detail::certificate_pem(cert->get());
  if (!cert_pem) return api::fail(cert_pem.error());
  return PemPair{std::move(*cert_pem), std::move(*key_pem)};
}

}  // namespace

api::Result<PemPair> self_signed_serving_pair(const std::string& common_name,
                                              const std::vector<std::string>& hosts,
                                              TimePoint now) {
  return serving_pair(common_name, hosts, now, nullptr);
}

api::Result<PemPair> serving_pair_signed_by(const PemPair& ca, const std::string& common_name,
                                            const std::vector<std::string>& hosts, TimePoint now) {
  KeyPair issuer{parse_certificate_pem(ca.cert_pem), parse_private_key_pem(ca.key_pem), {}, {}};
  if (!issuer.cert || !issuer.key) {
    ERR_clear_error();
    return api::fail(api::bad_request("the issuing CA's certificate or key is not PEM"));
  }
  return serving_pair(common_name, hosts, now, &issuer);
}

api::Result<ClusterPki> ensure_cluster_pki(const fs::path& dir,
                                           const std::vector<std::string>& extra_hosts,
                                           TimePoint now) {
  // Bad hosts are refused before the lock creates the directory: nothing is written then.
  auto checked = serving_alt_names(extra_hosts);
  auto lock =
      checked ? PkiDirLock::acquire(dir) : api::Result<PkiDirLock>(api::fail(checked.error()));
  auto pki =
      lock ? ensure_all(dir, extra_hosts, now) : api::Result<ClusterPki>(api::fail(lock.error()));
  if (!pki) {
    // Say which part of `kactor up` failed, after InternalError's own lead-in:
    // "Internal error occurred: cluster PKI: <file>: <step>: <reason>".
    auto status = pki.error();
    constexpr std::string_view kInternal = "Internal error occurred: ";
    bool internal = status.message.starts_with(kInternal);
    auto detail = std::string_view(status.message).substr(internal ? kInternal.size() : 0);
    status.message = std::string(internal ? kInternal : "") + "cluster PKI: " + std::string(detail);
    return api::fail(std::move(status));
  }
  return pki;
}

}  // namespace kactor::http
