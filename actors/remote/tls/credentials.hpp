// A role process's TLS credentials, from the directory `kactor certs` wrote
// (actors/http/role_pki.hpp): checked when the process starts, so that a missing, mismatched,
// foreign or expired file is an error naming it, not a refused handshake later (or an exception
// in CAF's OpenSSL module, which throws when it cannot load a file).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "actors/remote/tls/proof.hpp"
#include "api/status.hpp"
#include "api/time/clock.hpp"

namespace kactor::remote::tls {

/// What CAF's OpenSSL module loads (openssl.certificate, openssl.key, openssl.cafile).
struct TlsFiles {
  std::filesystem::path certificate;
  std::filesystem::path key;
  std::filesystem::path cafile;
};

/// A role's credentials: the pair its TLS handshakes use and every identity it proves.
struct RoleCredentials {
  TlsFiles files;
  http::X509Ptr ca;
  /// The first is the pair of `files`; a node process holding several nodes has one per node.
  std::vector<Identity> identities;
};

/// Loads `<pki_dir>/ca.crt` and `<pki_dir>/<stem>.crt` + `.key` for each of `stems` (at least
/// one; the first is the TLS pair). BadRequest naming the file when one is missing or
/// unreadable, a key is not its certificate's, a certificate is not signed by ca.crt, or it is
/// not valid at `now` (expired or not yet valid).
api::Result<RoleCredentials> load_role_credentials(const std::filesystem::path& pki_dir,
                                                   const std::vector<std::string>& stems,
                                                   TimePoint now);

}  // namespace kactor::remote::tls
