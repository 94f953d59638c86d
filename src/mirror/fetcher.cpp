// Upstream GETs over cpp-httplib, with proxies taken from the environment.
#include "mirror/fetcher.h"

#include <httplib.h>

#include <cstdlib>

#include "base/ascii.h"
#include "base/resolver.h"
#include "http/client_error.h"

namespace registry {

namespace {

struct UrlParts {
  std::string origin;  // "https://host:port"
  std::string host;
  std::string path;  // "/..." with any query
};

Result<UrlParts> SplitUrl(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos ||
      (url.substr(0, scheme_end) != "http" && url.substr(0, scheme_end) != "https")) {
    return Status::Invalid("upstream URL `" + std::string(url) + "` is not http:// or https://");
  }
  size_t slash = url.find('/', scheme_end + 3);
  UrlParts parts;
  parts.origin = std::string(url.substr(0, slash));
  parts.path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  std::string_view authority = url.substr(scheme_end + 3, slash - scheme_end - 3);
  if (!authority.empty() && authority.front() == '[') {
    parts.host = std::string(authority.substr(1, authority.find(']') - 1));
  } else {
    parts.host = std::string(authority.substr(0, authority.find(':')));
  }
  if (parts.host.empty())
    return Status::Invalid("upstream URL `" + std::string(url) + "` has no host");
  return parts;
}

bool NoProxyMatches(std::string_view no_proxy, const std::string& host) {
  while (!no_proxy.empty()) {
    size_t comma = no_proxy.find(',');
    std::string entry(no_proxy.substr(0, comma));
    no_proxy = comma == std::string_view::npos ? std::string_view() : no_proxy.substr(comma + 1);
    entry.erase(0, entry.find_first_not_of(' '));
    entry.erase(entry.find_last_not_of(' ') + 1);
    entry = AsciiLower(entry);
    if (entry.empty()) continue;
    if (entry == "*") return true;
    if (entry.front() == '.') entry.erase(0, 1);
    if (host == entry) return true;
    if (host.size() > entry.size() &&
        host.compare(host.size() - entry.size(), entry.size(), entry) == 0 &&
        host[host.size() - entry.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

// A resolver failure as a fetch failure: an invalid name cannot be reached either.
Status CannotResolve(const std::string& what, const Status& why) {
  if (why.code() == Code::kTimeout) return Status::Timeout(what + ": " + why.message());
  return Status::Unavailable(what + ": " + why.message());
}

}  // namespace

std::string ProxyFor(std::string_view url, const std::function<std::string(const char*)>& env) {
  Result<UrlParts> parts = SplitUrl(url);
  if (!parts.ok()) return "";
  std::string no_proxy = env("NO_PROXY");
  if (no_proxy.empty()) no_proxy = env("no_proxy");
  if (NoProxyMatches(no_proxy, AsciiLower(parts->host))) return "";
  bool https = url.rfind("https://", 0) == 0;
  std::string proxy = env(https ? "HTTPS_PROXY" : "HTTP_PROXY");
  if (proxy.empty()) proxy = env(https ? "https_proxy" : "http_proxy");
  // "http://proxy:3128/" -> "proxy:3128"
  size_t scheme = proxy.find("://");
  if (scheme != std::string::npos) proxy.erase(0, scheme + 3);
  size_t at = proxy.rfind('@');
  if (at != std::string::npos) proxy.erase(0, at + 1);
  if (!proxy.empty() && proxy.back() == '/') proxy.pop_back();
  return proxy;
}

HttpFetcher::HttpFetcher(HttpFetcherOptions options) : options_(std::move(options)) {
  if (!options_.getenv) {
    options_.getenv = [](const char* name) {
      const char* v = std::getenv(name);
      return std::string(v ? v : "");
    };
  }
}

Result<FetchResponse> HttpFetcher::Get(const FetchRequest& request) {
  Result<UrlParts> parts = SplitUrl(request.url);
  if (!parts.ok()) return parts.status();
  httplib::Client client(parts->origin);
  client.set_connection_timeout(options_.connect_timeout);
  client.set_read_timeout(options_.read_timeout);
  client.set_write_timeout(options_.connect_timeout);
  client.set_keep_alive(false);
  client.enable_server_certificate_verification(true);
  if (!options_.ca_file.empty()) client.set_ca_cert_path(options_.ca_file.c_str());
  // Names are resolved here, with c-ares, so httplib's getaddrinfo only ever sees a numeric
  // address; SNI, Host and the certificate check still use the name. Through a proxy, the
  // proxy resolves the upstream.
  std::string proxy = ProxyFor(request.url, options_.getenv);
  if (!proxy.empty()) {
    size_t colon = proxy.rfind(':');
    std::string host = proxy.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);
    int port = colon == std::string::npos ? 80 : std::atoi(proxy.c_str() + colon + 1);
    Result<std::string> ip = ResolveHost(host, options_.connect_timeout);
    if (!ip.ok()) return CannotResolve(request.url + ": proxy", ip.status());
    client.set_proxy(*ip, port);
  } else {
    Result<std::string> ip = ResolveHost(parts->host, options_.connect_timeout);
    if (!ip.ok()) return CannotResolve(request.url, ip.status());
    client.set_hostname_addr_map({{parts->host, *ip}});
  }
  httplib::Headers headers = {{"User-Agent", "registry-mirror"}};
  if (!request.if_none_match.empty()) headers.emplace("If-None-Match", request.if_none_match);
  if (!request.authorization.empty()) headers.emplace("Authorization", request.authorization);

  FetchResponse out;
  bool too_large = false;
  httplib::Result res = client.Get(parts->path, headers, [&](const char* data, size_t len) {
    if (out.body.size() + len > options_.max_body) {
      too_large = true;
      return false;
    }
    out.body.append(data, len);
    return true;
  });
  if (too_large) {
    return Status::TooLarge(request.url + " sent more than " + std::to_string(options_.max_body) +
                            " bytes");
  }
  if (!res) {
    std::string why = ExplainClientError(res.error(), "--upstream-cacert FILE");
    if (res.error() == httplib::Error::ConnectionTimeout)
      return Status::Timeout(request.url + ": " + why);
    return Status::Unavailable(request.url + ": " + why);
  }
  out.status = res->status;
  out.etag = res->get_header_value("ETag");
  out.last_modified = res->get_header_value("Last-Modified");
  return out;
}

}  // namespace registry
