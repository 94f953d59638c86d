// Tests for sending docs: the variable a token comes from, the registry's answers, and a real
// PUT to a loopback server.
#include "docs/docs_upload.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "test_util/temp_dir.h"

namespace registry {
namespace {

namespace fs = std::filesystem;

TEST_CASE("docs upload reads cargo's token variable for the registry") {
  CHECK(CargoTokenVariable("private") == "CARGO_REGISTRIES_PRIVATE_TOKEN");
  CHECK(CargoTokenVariable("my-Corp_reg") == "CARGO_REGISTRIES_MY_CORP_REG_TOKEN");
}

TEST_CASE("docs upload replies: the fields of a 200, the server's detail otherwise") {
  Result<DocsUploaded> ok = ParseDocsUploadReply(
      200, R"({"ok":true,"name":"serde","version":"1.0.0","url":"http://h/docs/serde/1.0.0/",)"
           R"("files":123,"bytes":456,"new_files":12,"new_bytes":789,"replaced":true})");
  REQUIRE_MESSAGE(ok.ok(), ok.status().message());
  CHECK(ok->url == "http://h/docs/serde/1.0.0/");
  CHECK(ok->files == 123);
  CHECK(ok->bytes == 456);
  CHECK(ok->new_files == 12);
  CHECK(ok->new_bytes == 789);
  CHECK(ok->replaced);

  struct Case {
    int status;
    const char* body;
    Code code;
    const char* message;
  };
  const Case bad[] = {
      {403, R"({"errors":[{"detail":"this token may not upload docs"}]})", Code::kForbidden,
       "this token may not upload docs (HTTP 403)"},
      {400, R"({"errors":[{"detail":"the archive has no serde/index.html"}]})", Code::kInvalid,
       "the archive has no serde/index.html (HTTP 400)"},
      {401, R"({"errors":[{"detail":"no token"}]})", Code::kUnauthorized, "no token (HTTP 401)"},
      {404, R"({"errors":[{"detail":"no such crate"}]})", Code::kNotFound,
       "no such crate (HTTP 404)"},
      {413, R"({"errors":[{"detail":"too large"}]})", Code::kTooLarge, "too large (HTTP 413)"},
      {502, "<html>Bad Gateway</html>", Code::kUnavailable,
       "the server answered without a registry error message (HTTP 502)"},
      {500, R"({"errors":[]})", Code::kUnavailable,
       "the server answered without a registry error message (HTTP 500)"},
      {200, "<html>a login page</html>", Code::kBadGateway,
       "the server answered 200 without the docs upload reply (is --url the registry's?)"},
      {200, R"({"ok":true,"url":"http://h/docs/a/1.0.0/","files":"1"})", Code::kBadGateway,
       "the server answered 200 without the docs upload reply (is --url the registry's?)"},
  };
  for (const Case& c : bad) {
    CAPTURE(c.body);
    Result<DocsUploaded> r = ParseDocsUploadReply(c.status, c.body);
    REQUIRE(!r.ok());
    CHECK(r.status().code() == c.code);
    CHECK(r.status().message() == c.message);
  }
}

// A packed docs tree of crate `tiny`.
PackedDocs PackTinyDocsForUpload(const TempDir& dir) {
  fs::path root = fs::path(dir.path()) / "doc";
  fs::create_directories(root / "tiny");
  std::ofstream(root / "tiny" / "index.html") << "<html>tiny</html>\n";
  std::ofstream(root / "search-index.js") << std::string(300000, 's');
  Result<PackedDocs> packed = PackDocsDir(root.string(), "tiny", dir.path());
  REQUIRE_MESSAGE(packed.ok(), packed.status().message());
  return std::move(*packed);
}

TEST_CASE("docs upload PUTs the packed archive with cargo's Authorization header") {
  TempDir dir;
  PackedDocs docs = PackTinyDocsForUpload(dir);
  httplib::Server server;
  std::string got_path, got_auth, got_type, got_body;
  server.Put("/reg/api/v1/crates/tiny/0.1.0/docs",
             [&](const httplib::Request& req, httplib::Response& res) {
               got_path = req.path;
               got_auth = req.get_header_value("Authorization");
               got_type = req.get_header_value("Content-Type");
               got_body = req.body;
               res.set_content(R"({"ok":true,"url":"http://h/docs/tiny/0.1.0/","files":2,)"
                               R"("bytes":300018,"new_files":2,"new_bytes":700,)"
                               R"("replaced":false})",
                               "application/json");
             });
  server.Put("/api/v1/crates/tiny/9.9.9/docs", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content(R"({"errors":[{"detail":"crate `tiny` has no version `9.9.9`"}]})",
                    "application/json");
  });
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread t([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::string base = "http://127.0.0.1:" + std::to_string(port);

  DocsUploadRequest req;
  req.url = base + "/reg/";
  req.token = "cio0123secret";
  req.name = "tiny";
  req.version = "0.1.0";
  uint64_t last_sent = 0, last_total = 0;
  Result<DocsUploaded> up = SendDocs(req, docs, [&](uint64_t sent, uint64_t total) {
    CHECK(sent > last_sent);
    last_sent = sent;
    last_total = total;
  });
  REQUIRE_MESSAGE(up.ok(), up.status().message());
  CHECK(up->url == "http://h/docs/tiny/0.1.0/");
  CHECK(up->files == 2);
  CHECK(got_path == "/reg/api/v1/crates/tiny/0.1.0/docs");
  CHECK(got_auth == "cio0123secret");
  CHECK(got_type == "application/octet-stream");
  CHECK(got_body == *docs.ReadAll(1 << 20));
  CHECK(last_sent == docs.size());
  CHECK(last_total == docs.size());

  req.url = base;
  req.version = "9.9.9";
  Result<DocsUploaded> missing = SendDocs(req, docs, nullptr);
  CHECK(missing.status().code() == Code::kNotFound);
  CHECK(missing.status().message() == "crate `tiny` has no version `9.9.9` (HTTP 404)");

  server.stop();
  t.join();
  Result<DocsUploaded> down = SendDocs(req, docs, nullptr);
  CHECK(down.status().code() == Code::kUnavailable);
  CHECK(down.status().message() == base + "/api/v1/crates/tiny/9.9.9/docs: cannot connect");
}

TEST_CASE("docs upload refuses a bad URL, crate name or version before connecting") {
  TempDir dir;
  PackedDocs docs = PackTinyDocsForUpload(dir);
  DocsUploadRequest req;
  req.url = "crates.example.com";
  req.name = "tiny";
  req.version = "0.1.0";
  CHECK(SendDocs(req, docs, nullptr).status().message() ==
        "invalid URL `crates.example.com`: expected http://HOST[:PORT] or https://HOST[:PORT]");
  req.url = "http://127.0.0.1:9";
  req.name = "../admin";
  CHECK(SendDocs(req, docs, nullptr).status().code() == Code::kInvalid);
  req.name = "tiny";
  req.version = "1.0/../../x";
  CHECK(SendDocs(req, docs, nullptr).status().code() == Code::kInvalid);
}

}  // namespace
}  // namespace registry
