// TLS credentials through OpenSSL, each failure turned into a message naming the file.
#include "server/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace registry {

// The reason of the first error in OpenSSL's queue, clearing the queue.
static std::string OpenSslReason() {
  unsigned long code = ERR_peek_error();  // the first: the root cause, not a wrapper
  ERR_clear_error();
  if (code == 0) return "unknown error";
  const char* reason = ERR_reason_error_string(code);
  return reason ? reason : "error " + std::to_string(code);
}

// Ok when `path` can be opened for reading; Invalid with errno's words otherwise.
static Status CheckReadable(const std::string& what, const std::string& path) {
  if (path.empty()) return Status::Invalid("no TLS " + what + " file given");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    return Status::Invalid("cannot read TLS " + what + " " + path + ": " + std::strerror(errno));
  }
  char byte;
  bool readable = std::fread(&byte, 1, 1, f) == 1 || !std::ferror(f);
  int err = errno;
  std::fclose(f);
  if (!readable) {
    return Status::Invalid("cannot read TLS " + what + " " + path + ": " + std::strerror(err));
  }
  return Status::Ok();
}

// OpenSSL asks this for the passphrase of an encrypted key: there is none, so loading fails
// instead of prompting on the terminal.
static int NoPassphrase(char*, int, int, void*) { return 0; }

Status LoadTlsCredentials(SSL_CTX* ctx, const std::string& cert_file, const std::string& key_file) {
  RETURN_IF_ERROR(CheckReadable("certificate", cert_file));
  RETURN_IF_ERROR(CheckReadable("private key", key_file));
  ERR_clear_error();
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_default_passwd_cb(ctx, NoPassphrase);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    return Status::Invalid("TLS certificate " + cert_file +
                           " is not a PEM certificate (chain): " + OpenSslReason());
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    std::string reason = OpenSslReason();
    if (reason.find("key values mismatch") != std::string::npos) {
      return Status::Invalid("TLS private key " + key_file + " does not match the certificate " +
                             cert_file);
    }
    return Status::Invalid("TLS private key " + key_file +
                           " is not an unencrypted PEM private key: " + reason);
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    return Status::Invalid("TLS private key " + key_file + " does not match the certificate " +
                           cert_file);
  }
  return Status::Ok();
}

Status CheckTlsCredentials(const std::string& cert_file, const std::string& key_file) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_server_method()),
                                                        &SSL_CTX_free);
  if (!ctx) return Status::Internal("cannot create a TLS context: " + OpenSslReason());
  return LoadTlsCredentials(ctx.get(), cert_file, key_file);
}

// The server's protocols in its order of preference, in ALPN's wire form.
static const unsigned char kAlpnProtocols[] = "\x02h2\x08http/1.1";

static int SelectAlpn(SSL*, const unsigned char** out, unsigned char* out_len,
                      const unsigned char* in, unsigned int in_len, void*) {
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_len, kAlpnProtocols, sizeof kAlpnProtocols - 1, in,
                            in_len) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;  // no common protocol: carry on without ALPN (HTTP/1.1)
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

void EnableAlpn(SSL_CTX* ctx) { SSL_CTX_set_alpn_select_cb(ctx, SelectAlpn, nullptr); }

}  // namespace registry
