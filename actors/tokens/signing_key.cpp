#include "actors/tokens/signing_key.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include <fstream>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include "actors/tokens/base64url.hpp"

namespace kactor::tokens {
namespace {

std::string openssl_error(std::string_view what) {
  std::string out(what);
  if (auto e = ERR_get_error(); e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += ": ";
    out += buf;
  }
  ERR_clear_error();
  return out;
}

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, size_t(n));
}

/// Writes `text` to `file` with `mode`, through a temporary file and a rename, so a reader
/// never sees half a key.
api::Result<void> write_atomically(const std::filesystem::path& file, const std::string& text,
                                   mode_t mode) {
  auto tmp = file;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0)
    return api::fail(api::internal_error("cannot write " + tmp.string() + ": " +
                                         std::generic_category().message(errno)));
  bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size()) && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  std::error_code ec;
  if (ok) std::filesystem::rename(tmp, file, ec);
  if (!ok || ec) {
    std::filesystem::remove(tmp, ec);
    return api::fail(api::internal_error("cannot write " + file.string()));
  }
  return {};
}

}  // namespace

void SigningKey::Free::operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }

SigningKey::SigningKey(EVP_PKEY* key) : key_(key, Free{}) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key, &der);
  if (len > 0) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(der, size_t(len), digest);
    key_id_ = base64url_encode(
        std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
  }
  OPENSSL_free(der);
}

api::Result<SigningKey> SigningKey::generate() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  if (!key) return api::fail(api::internal_error(openssl_error("generating an RSA key")));
  return SigningKey(key);
}

api::Result<SigningKey> SigningKey::from_pem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (!key) return api::fail(api::bad_request(openssl_error("not a PEM private key")));
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    EVP_PKEY_free(key);
    return api::fail(api::bad_request("the service-account signing key must be an RSA key"));
  }
  return SigningKey(key);
}

api::Result<SigningKey> SigningKey::load_or_create(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return api::fail(api::internal_error("cannot read " + file.string()));
    auto key = from_pem(text.str());
    if (!key) return api::fail(api::internal_error(file.string() + ": " + key.error().message));
    return key;
  }
  if (auto dir = file.parent_path(); !dir.empty() && !std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return api::fail(api::internal_error("cannot create " + dir.string()));
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  }
  auto key = generate();
  if (!key) return key;
  if (auto ok = write_atomically(file, key->private_pem(), 0600); !ok)
    return api::fail(ok.error());
  return key;
}

std::string SigningKey::private_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(bio.get());
}

std::string SigningKey::public_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key_.get());
  return bio_text(bio.get());
}

}  // namespace kactor::tokens
