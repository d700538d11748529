#include "actors/http/openssl_ptr.hpp"

#include <climits>

#include <openssl/err.h>
#include <openssl/pem.h>

namespace kactor::http {
namespace {

/// A read-only memory BIO over `text` (which must outlive it); null if `text` is too large.
BioPtr memory_bio(std::string_view text) {
  if (text.size() > static_cast<size_t>(INT_MAX)) return nullptr;
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

}  // namespace

std::string openssl_error(std::string_view step) {
  std::string out(step);
  bool first = true;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    out += first ? ": " : "; ";
    out += buffer;
    first = false;
  }
  return out;
}

X509Ptr parse_certificate_pem(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio) return nullptr;
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

EvpPkeyPtr parse_private_key_pem(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio) return nullptr;
  // No passphrase callback argument: an encrypted key fails instead of prompting on a terminal.
  return EvpPkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char*>("")));
}

}  // namespace kactor::http
