// cpp-httplib's client errors in words a person can act on, for every outbound request the
// registry makes (`registry health`, the mirror's upstream fetches).
#pragma once

#include <httplib.h>

#include <string>

namespace registry {

// `ca_option` names the flag that gives a private CA (e.g. "--cacert FILE"), for the
// untrusted-certificate case.
std::string ExplainClientError(httplib::Error error, const std::string& ca_option);

}  // namespace registry
