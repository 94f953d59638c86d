// One PUT over cpp-httplib's client, the body read from the packed file as it is sent.
#include "docs/docs_upload.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>

#include "base/resolver.h"
#include "base/untrusted_json.h"
#include "crate/name.h"
#include "crate/semver.h"
#include "http/client_error.h"
#include "http/health_probe.h"

namespace registry {

std::string CargoTokenVariable(std::string_view registry) {
  std::string name(registry);
  for (char& c : name) c = c == '-' ? '_' : static_cast<char>(std::toupper(c));
  return "CARGO_REGISTRIES_" + name + "_TOKEN";
}

// The status code an HTTP error answer stands for.
static Status DocsUploadError(int status, std::string message) {
  message += " (HTTP " + std::to_string(status) + ")";
  switch (status) {
    case 400:
      return Status::Invalid(std::move(message));
    case 401:
      return Status::Unauthorized(std::move(message));
    case 403:
      return Status::Forbidden(std::move(message));
    case 404:
      return Status::NotFound(std::move(message));
    case 413:
      return Status::TooLarge(std::move(message));
    default:
      return Status::Unavailable(std::move(message));
  }
}

static bool DocsReplyInt(const nlohmann::json& j, const char* key, int64_t* out) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return false;
  *out = it->get<int64_t>();
  return true;
}

Result<DocsUploaded> ParseDocsUploadReply(int status, std::string_view body) {
  Result<nlohmann::json> j = ParseUntrustedJson(body);
  bool object = j.ok() && j->is_object();
  if (status != 200) {
    if (object) {
      auto errors = j->find("errors");
      if (errors != j->end() && errors->is_array() && !errors->empty() &&
          (*errors)[0].is_object()) {
        auto detail = (*errors)[0].find("detail");
        if (detail != (*errors)[0].end() && detail->is_string()) {
          return DocsUploadError(status, detail->get<std::string>());
        }
      }
    }
    return DocsUploadError(status, "the server answered without a registry error message");
  }
  Status not_reply = Status::BadGateway(
      "the server answered 200 without the docs upload reply (is --url the registry's?)");
  if (!object) return not_reply;
  const nlohmann::json& o = *j;
  DocsUploaded up;
  auto url = o.find("url");
  auto replaced = o.find("replaced");
  if (url == o.end() || !url->is_string() || !DocsReplyInt(o, "files", &up.files) ||
      !DocsReplyInt(o, "bytes", &up.bytes) || !DocsReplyInt(o, "new_files", &up.new_files) ||
      !DocsReplyInt(o, "new_bytes", &up.new_bytes) || replaced == o.end() ||
      !replaced->is_boolean()) {
    return not_reply;
  }
  up.url = url->get<std::string>();
  up.replaced = replaced->get<bool>();
  return up;
}

Status CheckDocsUploadRequest(const DocsUploadRequest& request) {
  Result<ProbeUrl> base = ParseProbeUrl(request.url);
  if (!base.ok()) return base.status();
  RETURN_IF_ERROR(ValidateCrateName(request.name));
  Result<Version> version = ParseVersion(request.version);
  return version.ok() ? Status::Ok() : version.status();
}

Result<DocsUploaded> SendDocs(const DocsUploadRequest& request, const PackedDocs& docs,
                              const DocsUploadProgress& progress) {
  RETURN_IF_ERROR(CheckDocsUploadRequest(request));
  Result<ProbeUrl> base = ParseProbeUrl(request.url);
  std::string path =
      base->prefix + "/api/v1/crates/" + request.name + "/" + request.version + "/docs";
  std::string target = base->origin + path;

  // Resolved with c-ares (base/resolver.h): a static binary's getaddrinfo cannot use NSS.
  Result<std::string> ip = ResolveHost(base->host, request.connect_timeout);
  if (!ip.ok()) return Status::Unavailable(target + ": " + ip.status().message());
  httplib::Client client(base->origin);
  client.set_hostname_addr_map({{base->host, *ip}});
  client.set_connection_timeout(request.connect_timeout);
  client.set_read_timeout(request.io_timeout);
  client.set_write_timeout(request.io_timeout);
  client.set_keep_alive(false);
  client.enable_server_certificate_verification(true);
  if (!request.ca_file.empty()) client.set_ca_cert_path(request.ca_file.c_str());

  httplib::Headers headers = {{"Authorization", request.token},
                              {"User-Agent", "registry-docs-upload"}};
  Status read_error;
  httplib::Result res = client.Put(
      path, headers, docs.size(),
      [&](size_t offset, size_t length, httplib::DataSink& sink) {
        char buf[64 << 10];
        Result<size_t> got = docs.ReadAt(offset, buf, std::min(length, sizeof buf));
        if (!got.ok() || *got == 0) {
          read_error = got.ok() ? Status::Io("the packed docs ended early") : got.status();
          return false;
        }
        if (!sink.write(buf, *got)) return false;
        if (progress) progress(offset + *got, docs.size());
        return true;
      },
      "application/octet-stream");
  if (!read_error.ok()) return read_error;
  if (!res) {
    std::string why = ExplainClientError(res.error(), "--cacert FILE");
    if (res.error() == httplib::Error::Write) {
      // A server that refuses the body early (413 on its Content-Length) closes the
      // connection before the answer can be read.
      why = "the connection broke while the " + std::to_string(docs.size()) +
            "-byte archive was being sent (the server may take no archive this large)";
    }
    if (res.error() == httplib::Error::ConnectionTimeout) {
      return Status::Timeout(target + ": " + why);
    }
    return Status::Unavailable(target + ": " + why);
  }
  return ParseDocsUploadReply(res->status, res->body);
}

}  // namespace registry
