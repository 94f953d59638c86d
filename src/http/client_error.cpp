// Client error texts.
#include "http/client_error.h"

namespace registry {

std::string ExplainClientError(httplib::Error error, const std::string& ca_option) {
  switch (error) {
    case httplib::Error::Connection:
      return "cannot connect";
    case httplib::Error::SSLConnection:
      return "the TLS handshake failed";
    case httplib::Error::SSLServerVerification:
      return "its TLS certificate is not trusted (give its CA with " + ca_option + ")";
    case httplib::Error::Read:
      return "the connection broke before a complete answer";
    case httplib::Error::ConnectionTimeout:
      return "the connection timed out";
    default:
      return "the request failed (" + httplib::to_string(error) + ")";
  }
}

}  // namespace registry
