// Shared by the http tests: a temporary PKI directory, a fixed "now", and
// OpenSSL checks of what the PKI wrote.
#pragma once

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <openssl/x509_vfy.h>

#include "actors/http/openssl_ptr.hpp"
#include "actors/http/pki.hpp"
#include "tests/support/temp_dir.hpp"

namespace kactor::http::testing {

/// The instant the tests issue certificates at (and verify them at): fixed, so no test depends
/// on the wall clock.
inline TimePoint test_now() {
  using namespace std::chrono;
  return sys_days{year{2026} / January / 1};
}

/// A PKI directory that does not exist yet (ensure_cluster_pki creates it, mode 0700), in a
/// temporary directory removed at the end of the test whatever it holds.
class TempDir : public kactor::testing::TempDir {
 public:
  TempDir() : kactor::testing::TempDir("kactor-pki", Start::absent) {}
};

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

/// The permission bits of `path` (0600 style).
inline unsigned mode_of(const std::filesystem::path& path) {
  return static_cast<unsigned>(std::filesystem::status(path).permissions() &
                               std::filesystem::perms::mask);
}

/// X509_verify_cert's verdict on `cert_pem` as a chain to `ca_pem` alone, at `at`, for
/// `purpose` (X509_PURPOSE_SSL_SERVER or X509_PURPOSE_SSL_CLIENT): X509_V_OK or the error.
inline int verify_chain(const std::string& cert_pem, const std::string& ca_pem, TimePoint at,
                        int purpose) {
  auto cert = parse_certificate_pem(cert_pem);
  auto ca = parse_certificate_pem(ca_pem);
  X509StorePtr store(X509_STORE_new());
  X509StoreCtxPtr context(X509_STORE_CTX_new());
  if (!cert || !ca || !store || !context || X509_STORE_add_cert(store.get(), ca.get()) != 1 ||
      X509_STORE_CTX_init(context.get(), store.get(), cert.get(), nullptr) != 1) {
    return -1;
  }
  X509_STORE_CTX_set_purpose(context.get(), purpose);
  X509_STORE_CTX_set_time(
      context.get(), 0,
      static_cast<time_t>(std::chrono::floor<std::chrono::seconds>(at).time_since_epoch().count()));
  if (X509_verify_cert(context.get()) == 1) return X509_V_OK;
  return X509_STORE_CTX_get_error(context.get());
}

}  // namespace kactor::http::testing
