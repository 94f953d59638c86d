// The crates.io view's routes: its config.json, index files and downloads, each
// Authenticate -> Mirror -> reply, as the private index's routes.
#include <nlohmann/json.hpp>

#include "http/api.h"
#include "http/error_reply.h"
#include "http/json_reply.h"
#include "index/sparse_path.h"
#include "storage/gzip_codec.h"

namespace registry {

static Status MirrorOff() {
  return Status::NotFound("the crates.io mirror is not enabled on this server");
}

// Our own config.json, never upstream's: downloads come here, and with no `api` cargo refuses
// publish, yank and owner commands against the mirror itself.
void Api::MirrorConfig(const HttpRequest& req, const Params&, HttpResponse* res) const {
  std::string base = BaseUrl(req);
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kIndex, base + "/me", res);
  if (!options_.mirror) return ReplyError(MirrorOff(), RouteKind::kIndex, "", res);
  ReplyJson({{"dl", base + "/crates-io/api/v1/crates"}, {"auth-required", true}}, res);
}

void Api::MirrorIndexFileRoute(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kIndex, BaseUrl(req) + "/me", res);
  if (!options_.mirror) return ReplyError(MirrorOff(), RouteKind::kIndex, "", res);
  Result<std::string> name = CrateNameFromIndexPath(p.at("path"));
  if (!name.ok()) return ReplyError(name.status(), RouteKind::kIndex, "", res);
  Result<MirrorIndexFile> file = options_.mirror->ReadIndexFile(*actor, *name);
  if (!file.ok()) return ReplyError(file.status(), RouteKind::kIndex, "", res);

  res->SetHeader("X-Cache", CacheStateName(file->state));
  res->SetHeader("ETag", file->etag);
  std::string_view inm = req.Header("if-none-match");
  if (!inm.empty() && (inm.find(file->etag) != std::string_view::npos || inm == "*")) {
    res->status = 304;
    res->content_type.clear();
    return;
  }
  res->status = 200;
  res->content_type = "text/plain; charset=utf-8";
  res->SetHeader("Vary", "Accept-Encoding");
  if (AcceptsGzip(req.Header("accept-encoding"))) {
    res->SetHeader("Content-Encoding", "gzip");
    res->body = std::move(file->gzip);
  } else {
    res->body = std::move(file->body);
  }
}

void Api::MirrorDownload(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kIndex, BaseUrl(req) + "/me", res);
  if (!options_.mirror) return ReplyError(MirrorOff(), RouteKind::kIndex, "", res);
  Result<StoredCrateFile> file = options_.mirror->OpenCrate(*actor, p.at("name"), p.at("version"));
  if (!file.ok()) {
    if (file.status().code() == Code::kBadGateway) {
      std::fprintf(stderr, "error: mirror download refused: %s\n", file.status().message().c_str());
    }
    return ReplyError(file.status(), RouteKind::kIndex, "", res);
  }
  if (options_.metrics) options_.metrics->RecordDownload();
  res->status = 200;
  res->content_type = "application/octet-stream";
  res->file_path = std::move(file->path);
  res->file_size = file->size;
}

// Refused whoever asks: nothing can be written to crates.io through us, so no credential is
// looked at.
void Api::MirrorReadOnly(const HttpRequest& req, const Params&, HttpResponse* res) const {
  res->status = 405;
  res->SetHeader("Allow", "GET");
  res->content_type = "application/json";
  res->body = ErrorBody(
      "the crates.io mirror is read-only: publish, yank and owner changes go "
      "to the private registry (`--registry " +
      options_.registry_name + "`)");
}

}  // namespace registry
