// Owning pointers for OpenSSL objects, so every error path frees what it made.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace kactor::http {

namespace detail {
/// A stateless deleter calling OpenSSL's `free` function for T.
template <class T, void (*Free)(T*)>
struct OpensslDeleter {
  void operator()(T* p) const { Free(p); }
};
}  // namespace detail

using BioPtr = std::unique_ptr<BIO, detail::OpensslDeleter<BIO, BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, detail::OpensslDeleter<BIGNUM, BN_free>>;
using Asn1IntegerPtr =
    std::unique_ptr<ASN1_INTEGER, detail::OpensslDeleter<ASN1_INTEGER, ASN1_INTEGER_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, detail::OpensslDeleter<ASN1_TIME, ASN1_TIME_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, detail::OpensslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, detail::OpensslDeleter<X509, X509_free>>;
using SslSessionPtr =
    std::unique_ptr<SSL_SESSION, detail::OpensslDeleter<SSL_SESSION, SSL_SESSION_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, detail::OpensslDeleter<X509_NAME, X509_NAME_free>>;
using X509ExtensionPtr =
    std::unique_ptr<X509_EXTENSION, detail::OpensslDeleter<X509_EXTENSION, X509_EXTENSION_free>>;
using X509StorePtr =
    std::unique_ptr<X509_STORE, detail::OpensslDeleter<X509_STORE, X509_STORE_free>>;
using X509StoreCtxPtr =
    std::unique_ptr<X509_STORE_CTX, detail::OpensslDeleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
using GeneralNamesPtr =
    std::unique_ptr<GENERAL_NAMES, detail::OpensslDeleter<GENERAL_NAMES, GENERAL_NAMES_free>>;
using SslCtxPtr = std::unique_ptr<SSL_CTX, detail::OpensslDeleter<SSL_CTX, SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, detail::OpensslDeleter<SSL, SSL_free>>;

/// `step` followed by the reasons on OpenSSL's error queue (oldest first), which it empties,
/// so the next failure does not report this one's reasons: "sign: ... ; ...".
std::string openssl_error(std::string_view step);

/// Parses the first certificate in `pem`; null when there is none or it does not parse.
X509Ptr parse_certificate_pem(std::string_view pem);

/// Parses the first private key in `pem` (PKCS#8 or traditional); null when none parses.
EvpPkeyPtr parse_private_key_pem(std::string_view pem);

}  // namespace kactor::http
