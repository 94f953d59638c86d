// Hosted docs over HTTP: the upload and delete routes, and /docs/ itself. Uploaded docs are
// untrusted HTML and JavaScript, so every docs file is served under the CSP `sandbox`
// directive without allow-same-origin: its scripts run in an opaque origin, which no cookie
// of this site reaches and whose requests to the API are cross-origin (unreadable, and sent
// without the SameSite=Strict session). A browser with a session is redirected to an address
// carrying a docs grant (/docs/~GRANT/NAME/VERSION/...): read access to that crate's docs
// only, for an hour, as long as the session lives. Relative links keep the grant.
#include <nlohmann/json.hpp>

#include "base/display_text.h"
#include "crate/name.h"
#include "http/api.h"
#include "http/error_reply.h"
#include "http/json_reply.h"
#include "storage/file_system.h"
#include "storage/gzip_codec.h"

namespace registry {

// `text` fit for HTML text and attribute values.
static std::string DocsHtmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

using nlohmann::json;

static constexpr const char* kDocsSandbox =
    "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox";

void Api::UploadDocs(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  if (req.body.size() > options_.max_docs_size) {
    return ReplyError(Status::TooLarge("docs archive too large: at most " +
                                       std::to_string(options_.max_docs_size) + " bytes"),
                      RouteKind::kApi, "", res);
  }
  Result<DocsUpload> up = registry_->UploadDocs(*actor, p.at("name"), p.at("version"), req.body,
                                                options_.docs_limits);
  if (!up.ok()) return ReplyError(up.status(), RouteKind::kApi, "", res);
  ReplyJson({{"ok", true},
             {"name", up->name},
             {"version", up->vers},
             {"url", BaseUrl(req) + "/docs/" + up->name + "/" + up->vers + "/"},
             {"files", up->files},
             {"bytes", up->bytes},
             {"new_files", up->new_blobs},
             {"new_bytes", up->new_blob_bytes},
             {"replaced", up->replaced}},
            res);
}

void Api::DeleteDocs(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  Status st = registry_->DeleteDocs(*actor, p.at("name"), p.at("version"));
  if (!st.ok()) return ReplyError(st, RouteKind::kApi, "", res);
  ReplyJson({{"ok", true}}, res);
}

namespace {

// /docs/[~GRANT/]NAME[/VERSION[/PATH]], split.
struct DocsAddress {
  std::string grant;  // without the `~`; "" when none
  std::string name;
  std::string version;  // "" when absent
  std::string path;     // below the version; "" for the version itself
  bool version_slash = false;  // the address went on past VERSION (with a `/`)
};

}  // namespace

static DocsAddress ParseDocsAddress(std::string_view rest) {
  DocsAddress a;
  auto next = [&rest]() {
    size_t slash = rest.find('/');
    std::string part(rest.substr(0, slash));
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    return part;
  };
  if (!rest.empty() && rest.front() == '~') a.grant = next().substr(1);
  a.name = next();
  size_t before = rest.size();
  a.version = next();
  a.version_slash = before > a.version.size();
  a.path = std::string(rest);
  return a;
}

// A small HTML page of our own (not sandboxed docs) for a browser: `title`, `text`, and a link
// or an immediate move to `href`.
static void ReplyDocsPage(int status, const std::string& title, const std::string& text,
                          const std::string& href, bool refresh, HttpResponse* res) {
  res->status = status;
  res->content_type = "text/html; charset=utf-8";
  res->SetHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  res->SetHeader("Cache-Control", "no-store");
  res->SetHeader("Referrer-Policy", "no-referrer");
  std::string h = DocsHtmlEscape(href);
  res->body = "<!doctype html><meta charset=utf-8><title>" + DocsHtmlEscape(title) + "</title>" +
              (refresh ? "<meta http-equiv=refresh content=\"0; url=" + h + "\">" : "") +
              "<p>" + DocsHtmlEscape(text) + " <a href=\"" + h + "\">Continue</a></p>\n";
}

// A redirect within the docs: never cached (it may carry a grant) and never a Referer.
static void RedirectWithinDocs(const std::string& location, HttpResponse* res) {
  res->status = 302;
  res->content_type.clear();
  res->SetHeader("Location", location);
  res->SetHeader("Cache-Control", "no-store");
  res->SetHeader("Referrer-Policy", "no-referrer");
}

static bool WantsHtml(const HttpRequest& req) {
  return req.Header("accept").find("text/html") != std::string_view::npos;
}

void Api::Docs(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  DocsAddress a = ParseDocsAddress(p.at("path"));
  auto fail = [&](const Status& st) {
    if (WantsHtml(req) && st.code() == Code::kNotFound) {
      return ReplyDocsPage(404, "Not found", st.message(), "/#/crates/" + a.name, false, res);
    }
    ReplyError(st, RouteKind::kIndex, "", res);
  };
  if (a.name.empty()) return fail(Status::NotFound("no crate named in the docs address"));

  Result<Actor> actor = Status::Unauthorized("");
  if (!a.grant.empty()) {
    actor = auth_.sessions->AuthenticateDocsGrant(a.grant, CanonicalCrateName(a.name),
                                                  req.remote_addr);
    if (!actor.ok()) {
      if (actor.status().code() != Code::kUnauthorized || !WantsHtml(req)) {
        return ReplyError(actor.status(), RouteKind::kIndex, "", res);
      }
      // Expired or ended: the same docs page without the grant, reached from a page of this
      // site (so the browser sends its SameSite=Strict session, if it has one, and gets a
      // new grant).
      std::string again = "/docs/" + a.name + "/" + a.version + (a.version_slash ? "/" : "") +
                          a.path;
      return ReplyDocsPage(401, "Docs", actor.status().message(), again, true, res);
    }
  } else {
    actor = Authenticate(req, res);
    if (!actor.ok()) {
      if (actor.status().code() == Code::kUnauthorized && WantsHtml(req)) {
        return ReplyDocsPage(401, "Sign in", "Sign in to read these docs.",
                             "/#/crates/" + a.name, false, res);
      }
      return ReplyError(actor.status(), RouteKind::kIndex, "", res);
    }
  }

  if (a.version.empty() || !a.version_slash || a.version == "latest" || a.path.empty()) {
    // An address that names no page: the version's own crate page (newest for `latest`).
    Result<DocsVersion> found =
        registry_->FindDocs(*actor, a.name, a.version.empty() ? "latest" : a.version);
    if (!found.ok()) return fail(found.status());
    std::string rest = a.version == "latest" && !a.path.empty() ? a.path : found->page;
    std::string base = "/docs/" + (a.grant.empty() ? "" : "~" + a.grant + "/");
    if (a.grant.empty() && actor->session_id != 0) {
      base = "/docs/~" +
             auth_.sessions->DocsGrant(*actor, CanonicalCrateName(found->name),
                                       clock_->Now() + options_.docs_grant_seconds) +
             "/";
    }
    return RedirectWithinDocs(base + found->name + "/" + found->vers + "/" + rest, res);
  }
  if (a.grant.empty() && actor->session_id != 0) {
    // A page opened straight from its address in a signed-in browser: the same page with a
    // grant, which its own assets and links need.
    std::string grant = auth_.sessions->DocsGrant(*actor, CanonicalCrateName(a.name),
                                                  clock_->Now() + options_.docs_grant_seconds);
    return RedirectWithinDocs("/docs/~" + grant + "/" + a.name + "/" + a.version + "/" + a.path,
                              res);
  }
  std::string path = a.path;
  if (path.back() == '/') path += "index.html";
  Result<DocsFile> file = registry_->ReadDocsFile(*actor, a.name, a.version, path);
  if (!file.ok()) {
    if (file.status().code() == Code::kCorrupt) {
      std::fprintf(stderr, "error: docs file %s of %s %s: %s\n", EscapeForDisplay(path).c_str(),
                   EscapeForDisplay(a.name).c_str(), EscapeForDisplay(a.version).c_str(),
                   EscapeForDisplay(file.status().message()).c_str());
    }
    return fail(file.status());
  }
  res->headers.reserve(9);  // these, and Content-Encoding and Accept-Ranges from the transport
  res->SetHeader("Content-Security-Policy", kDocsSandbox);
  res->SetHeader("X-Content-Type-Options", "nosniff");
  res->SetHeader("Referrer-Policy", "no-referrer");
  // Scripts in the sandbox have an opaque origin: fonts are fetched in CORS mode, and the
  // grant in the address is the credential (no cookie is involved).
  if (!a.grant.empty()) res->SetHeader("Access-Control-Allow-Origin", "*");
  std::string etag = "\"" + file->blob + "\"";
  res->SetHeader("ETag", etag);
  res->SetHeader("Vary", "Accept-Encoding");
  bool immutable = path.rfind("static.files/", 0) == 0;
  res->SetHeader("Cache-Control", immutable ? "private, max-age=31536000, immutable"
                                            : "private, no-cache");
  std::string_view inm = req.Header("if-none-match");
  if (!inm.empty() && (inm.find(etag) != std::string_view::npos || inm == "*")) {
    res->status = 304;
    res->content_type.clear();
    return;
  }
  res->status = 200;
  res->content_type = std::string(DocsContentType(path));
  if (!file->gzip || AcceptsGzip(req.Header("accept-encoding"))) {
    if (file->gzip) res->SetHeader("Content-Encoding", "gzip");
    if (file->bytes) {
      res->body = *file->bytes;
      return;
    }
    res->file_path = std::move(file->path);
    res->file_size = file->stored_size;
    return;
  }
  // A client that takes no gzip (rare: every browser does) gets the file inflated.
  Result<std::string> stored =
      file->bytes ? Result<std::string>(*file->bytes) : RealFileSystem()->ReadFile(file->path);
  if (!stored.ok()) return fail(stored.status());
  Result<std::string> inflated = GzipDecompress(*stored, file->size);
  if (!inflated.ok()) return fail(inflated.status());
  res->body = std::move(*inflated);
}

}  // namespace registry
