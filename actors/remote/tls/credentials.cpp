#include "actors/remote/tls/credentials.hpp"

#include <openssl/err.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "actors/http/pki.hpp"
#include "actors/http/role_pki.hpp"
#include "actors/http/x509_inspect.hpp"

namespace kactor::remote::tls {
namespace {

namespace fs = std::filesystem;

/// `path` (in the PKI directory `dir`) is unusable because of `why`.
api::Status bad_file(const fs::path& dir, const fs::path& path, const std::string& why) {
  ERR_clear_error();
  return api::bad_request(fmt::format(
      "{}: {} (`kactor certs --dir {}` makes the cluster's certificates)", path.string(), why,
      dir.string()));
}

api::Result<std::string> read_text(const fs::path& dir, const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return api::fail(bad_file(dir, path, "cannot be read"));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

api::Result<RoleCredentials> load_role_credentials(const fs::path& pki_dir,
                                                   const std::vector<std::string>& stems,
                                                   TimePoint now) {
  if (stems.empty()) return api::fail(api::bad_request("no certificate to present"));
  RoleCredentials creds;
  creds.files.cafile = pki_dir / http::kCaCertFile;
  auto ca_text = read_text(pki_dir, creds.files.cafile);
  if (!ca_text) return api::fail(ca_text.error());
  creds.ca = http::parse_certificate_pem(*ca_text);
  if (!creds.ca) return api::fail(bad_file(pki_dir, creds.files.cafile, "holds no PEM certificate"));
  for (const auto& stem : stems) {
    auto cert_path = http::certificate_path(pki_dir, stem);
    auto key_path = http::key_path(pki_dir, stem);
    auto cert_text = read_text(pki_dir, cert_path);
    if (!cert_text) return api::fail(cert_text.error());
    auto key_text = read_text(pki_dir, key_path);
    if (!key_text) return api::fail(key_text.error());
    Identity id{http::parse_certificate_pem(*cert_text), http::parse_private_key_pem(*key_text),
                *cert_text};
    if (!id.cert) return api::fail(bad_file(pki_dir, cert_path, "holds no PEM certificate"));
    if (!id.key) return api::fail(bad_file(pki_dir, key_path, "holds no PEM private key"));
    if (X509_check_private_key(id.cert.get(), id.key.get()) != 1)
      return api::fail(bad_file(pki_dir, key_path, "is not the key of " + cert_path.string()));
    if (!http::is_signed_by(id.cert.get(), creds.ca.get()))
      return api::fail(bad_file(pki_dir, cert_path, "is not signed by " + creds.files.cafile.string()));
    if (http::expires_before(id.cert.get(), now))
      return api::fail(bad_file(pki_dir, cert_path, "has expired"));
    time_t at = std::chrono::system_clock::to_time_t(now);
    if (X509_cmp_time(X509_get0_notBefore(id.cert.get()), &at) > 0)
      return api::fail(bad_file(pki_dir, cert_path, "is not valid yet"));
    if (creds.identities.empty()) {
      creds.files.certificate = cert_path;
      creds.files.key = key_path;
    }
    creds.identities.push_back(std::move(id));
  }
  return creds;
}

}  // namespace kactor::remote::tls
