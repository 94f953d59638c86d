// Tests for loading TLS credentials: every refusal names the file and the problem.
#include "server/tls.h"

#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "test_util/temp_dir.h"

namespace registry {
namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

KeyPtr NewKey() { return KeyPtr(EVP_EC_gen("P-256"), &EVP_PKEY_free); }

// Writes `key` as PEM to `path`, encrypted with `passphrase` when it is not empty.
void WriteKey(EVP_PKEY* key, const std::string& path, const std::string& passphrase = "") {
  std::FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f);
  const EVP_CIPHER* cipher = passphrase.empty() ? nullptr : EVP_aes_256_cbc();
  auto* pass = reinterpret_cast<unsigned char*>(const_cast<char*>(passphrase.data()));
  REQUIRE(PEM_write_PrivateKey(f, key, cipher, passphrase.empty() ? nullptr : pass,
                               static_cast<int>(passphrase.size()), nullptr, nullptr) == 1);
  std::fclose(f);
}

// A self-signed certificate for CN=localhost over `key`, written as PEM to `path`.
void WriteSelfSignedCert(EVP_PKEY* key, const std::string& path) {
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), &X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  REQUIRE(X509_sign(cert.get(), key, EVP_sha256()) > 0);
  std::FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f);
  REQUIRE(PEM_write_X509(f, cert.get()) == 1);
  std::fclose(f);
}

struct Files {
  TempDir dir;
  std::string cert = dir.path() + "/cert.pem";
  std::string key = dir.path() + "/key.pem";
  Files() {
    KeyPtr key_pair = NewKey();
    WriteSelfSignedCert(key_pair.get(), cert);
    WriteKey(key_pair.get(), key);
  }
};

}  // namespace

TEST_CASE("tls: a certificate with its own key loads") {
  Files f;
  Status st = CheckTlsCredentials(f.cert, f.key);
  CHECK_MESSAGE(st.ok(), st.message());
}

TEST_CASE("tls: a missing certificate or key is named with the system's reason") {
  Files f;
  CHECK(CheckTlsCredentials(f.dir.path() + "/none.pem", f.key).message() ==
        "cannot read TLS certificate " + f.dir.path() + "/none.pem: No such file or directory");
  CHECK(CheckTlsCredentials(f.cert, f.dir.path() + "/none.key").message() ==
        "cannot read TLS private key " + f.dir.path() + "/none.key: No such file or directory");
  CHECK(CheckTlsCredentials(f.cert, f.dir.path()).message() ==
        "cannot read TLS private key " + f.dir.path() + ": Is a directory");
  CHECK(CheckTlsCredentials("", f.key).message() == "no TLS certificate file given");
}

TEST_CASE("tls: files that are not PEM are refused, naming which") {
  Files f;
  std::string junk = f.dir.path() + "/junk.pem";
  std::ofstream(junk) << "not a certificate\n";
  Status cert = CheckTlsCredentials(junk, f.key);
  CHECK(cert.code() == Code::kInvalid);
  CHECK(cert.message().rfind("TLS certificate " + junk + " is not a PEM certificate (chain): ",
                             0) == 0);
  // The certificate given as the key, a common mix-up.
  Status key = CheckTlsCredentials(f.cert, f.cert);
  CHECK(key.message().rfind("TLS private key " + f.cert + " is not an unencrypted PEM private key",
                            0) == 0);
}

TEST_CASE("tls: an encrypted key is refused without prompting for a passphrase") {
  Files f;
  KeyPtr key = NewKey();
  WriteSelfSignedCert(key.get(), f.cert);
  WriteKey(key.get(), f.key, "secret passphrase");
  Status st = CheckTlsCredentials(f.cert, f.key);
  CHECK(st.message().rfind("TLS private key " + f.key + " is not an unencrypted PEM private key",
                           0) == 0);
}

TEST_CASE("tls: a key of another certificate is refused as a mismatch") {
  Files f;
  std::string other_key = f.dir.path() + "/other.key";
  KeyPtr other = NewKey();
  WriteKey(other.get(), other_key);
  CHECK(CheckTlsCredentials(f.cert, other_key).message() ==
        "TLS private key " + other_key + " does not match the certificate " + f.cert);
}

}  // namespace registry
