// The health probe: one GET with httplib's client, bounded by a hard deadline.
#include "http/health_probe.h"

#include <httplib.h>

#include <future>
#include <memory>
#include <thread>

#include "base/resolver.h"
#include "http/client_error.h"

namespace registry {

Result<ProbeUrl> ParseProbeUrl(std::string_view url) {
  auto invalid = [&] {
    return Status::Invalid("invalid URL `" + std::string(url) +
                           "`: expected http://HOST[:PORT] or https://HOST[:PORT]");
  };
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return invalid();
  std::string_view scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return invalid();
  std::string_view rest = url.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (authority.empty() || authority.find_first_of("?#@ ") != std::string_view::npos) {
    return invalid();
  }
  ProbeUrl out;
  out.origin = std::string(url.substr(0, scheme_end + 3 + authority.size()));
  if (authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos || close < 2) return invalid();
    out.host = std::string(authority.substr(1, close - 1));
  } else {
    out.host = std::string(authority.substr(0, authority.find(':')));
    if (out.host.empty()) return invalid();
  }
  if (slash != std::string_view::npos) {
    std::string_view prefix = rest.substr(slash);
    if (prefix.find_first_of("?# ") != std::string_view::npos) return invalid();
    while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
    out.prefix = std::string(prefix);
  }
  return out;
}

Status ProbeHealth(const std::string& url, const std::string& ca_file,
                   std::chrono::milliseconds timeout) {
  Result<ProbeUrl> parsed = ParseProbeUrl(url);
  if (!parsed.ok()) return parsed.status();
  std::string target = parsed->origin + parsed->prefix + "/health";
  // The request runs on its own thread so the deadline holds even where httplib's per-step
  // timeouts add up (connect, then write, then read); a probe that misses it is abandoned,
  // and the process exits soon after anyway.
  auto result = std::make_shared<std::promise<Status>>();
  std::future<Status> answer = result->get_future();
  std::thread([result, origin = parsed->origin, host = parsed->host, path = parsed->prefix + "/health", ca_file, timeout,
               target] {
    // Resolved with c-ares (base/resolver.h): httplib's getaddrinfo only parses the address.
    // Three quarters of the deadline, so a resolver failure is reported as itself.
    Result<std::string> ip = ResolveHost(host, timeout * 3 / 4);
    if (!ip.ok()) {
      result->set_value(Status::Io(target + ": " + ip.status().message()));
      return;
    }
    httplib::Client client(origin);
    client.set_hostname_addr_map({{host, *ip}});
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout).count() + 1;
    client.set_connection_timeout(seconds);
    client.set_read_timeout(seconds);
    client.set_write_timeout(seconds);
    client.enable_server_certificate_verification(true);
    if (!ca_file.empty()) client.set_ca_cert_path(ca_file.c_str());
    httplib::Result res = client.Get(path.c_str());
    if (!res) {
      result->set_value(Status::Io(target + ": " + ExplainClientError(res.error(), "--cacert FILE")));
    } else if (res->status != 200) {
      result->set_value(Status::Io(target + " answered HTTP " + std::to_string(res->status)));
    } else {
      result->set_value(Status::Ok());
    }
  }).detach();
  if (answer.wait_for(timeout) != std::future_status::ready) {
    int64_t ms = timeout.count();
    return Status::Io(
        target + ": no answer within " +
        (ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms"));
  }
  return answer.get();
}

}  // namespace registry
