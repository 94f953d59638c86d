// Loading a TLS certificate and private key for the HTTPS server, with errors a person can act on.
#pragma once

#include <string>

#include "base/status.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace registry {

// Loads the PEM certificate chain `cert_file` and the unencrypted PEM private key `key_file`
// into `ctx`, checks that they belong together, and allows TLS 1.2 and later only. Invalid
// naming the file and the problem: missing or unreadable, not PEM, an encrypted key (never
// prompts for a passphrase), or a key that does not match the certificate.
Status LoadTlsCredentials(SSL_CTX* ctx, const std::string& cert_file, const std::string& key_file);

// LoadTlsCredentials into a throwaway context: the same checks, before a server starts.
Status CheckTlsCredentials(const std::string& cert_file, const std::string& key_file);

}  // namespace registry

namespace registry {

// Makes the server offer HTTP/2 and HTTP/1.1 by ALPN, preferring HTTP/2 ("h2"); a client
// that offers neither is served HTTP/1.1.
void EnableAlpn(SSL_CTX* ctx);

}  // namespace registry
