// Tests for the checks an uploaded docs archive must pass, on archives libarchive writes.
#include "docs/docs_archive.h"

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "test_util/docs_archive_builder.h"

namespace registry {
namespace {

std::map<std::string, std::string> FilesOf(const std::string& archive, const DocsTree& tree) {
  std::map<std::string, std::string> files;
  Status st = ForEachDocsFile(archive, tree, DocsLimits{},
                              [&](const std::string& path, std::string_view data) {
                                files[path] = std::string(data);
                                return Status::Ok();
                              });
  REQUIRE_MESSAGE(st.ok(), st.message());
  return files;
}

std::string Refusal(const std::vector<DocsEntry>& entries, const DocsLimits& limits = {}) {
  Result<DocsTree> tree = CheckDocsArchive(MakeDocsArchive(entries), "my_crate", limits);
  REQUIRE_FALSE(tree.ok());
  CHECK(tree.status().code() == Code::kInvalid);
  return tree.status().message();
}

TEST_CASE("a docs tree is accepted as .tar.gz, .tar.zst and .zip, dot files left out") {
  for (DocsFormat format : {DocsFormat::kTarGz, DocsFormat::kTarZst, DocsFormat::kZip}) {
    std::string archive = MakeDocsArchive(MinimalDocsTree("my_crate"), format);
    REQUIRE_FALSE(archive.empty());
    Result<DocsTree> tree = CheckDocsArchive(archive, "my_crate", DocsLimits{});
    REQUIRE_MESSAGE(tree.ok(), tree.status().message());
    CHECK(tree->files == 3);
    CHECK(tree->prefix == "");
    std::map<std::string, std::string> files = FilesOf(archive, *tree);
    CHECK(files.size() == 3);
    CHECK(files.count(".lock") == 0);
    CHECK(files.at("my_crate/index.html").find("docs of my_crate") != std::string::npos);
    CHECK(files.at("static.files/rustdoc.css").size() == 4006);
  }
}

TEST_CASE("an archive of target/doc itself has its doc/ prefix taken off") {
  std::vector<DocsEntry> tree;
  for (DocsEntry e : MinimalDocsTree("my_crate")) {
    e.path = "doc/" + e.path;
    tree.push_back(e);
  }
  tree.insert(tree.begin(), DocsEntry{"./doc/", "", AE_IFDIR});
  tree.insert(tree.begin(), DocsEntry{"./", "", AE_IFDIR});  // tar -C target -czf x.tgz .
  std::string archive = MakeDocsArchive(tree);
  Result<DocsTree> checked = CheckDocsArchive(archive, "my_crate", DocsLimits{});
  REQUIRE_MESSAGE(checked.ok(), checked.status().message());
  CHECK(checked->prefix == "doc/");
  CHECK(FilesOf(archive, *checked).count("my_crate/index.html") == 1);
}

TEST_CASE("an archive without the crate's own index.html is refused") {
  CHECK(Refusal(MinimalDocsTree("other_crate")).find("has no my_crate/index.html") !=
        std::string::npos);
  CHECK(Refusal({{"README.md", "hello"}}).find("has no my_crate/index.html") != std::string::npos);
  Result<DocsTree> junk = CheckDocsArchive("not an archive at all", "my_crate", DocsLimits{});
  REQUIRE_FALSE(junk.ok());
  CHECK(junk.status().code() == Code::kInvalid);
}

TEST_CASE("links, devices, fifos and paths leaving the tree are refused") {
  auto with = [](DocsEntry e) {
    std::vector<DocsEntry> tree = MinimalDocsTree("my_crate");
    tree.push_back(std::move(e));
    return tree;
  };
  CHECK(Refusal(with({"my_crate/evil", "", AE_IFLNK, "/etc/passwd"})).find("link") !=
        std::string::npos);
  CHECK(Refusal(with({"my_crate/hard", "", AE_IFREG, "my_crate/index.html"})).find("link") !=
        std::string::npos);
  CHECK(Refusal(with({"my_crate/dev", "", AE_IFCHR})).find("device") != std::string::npos);
  CHECK(Refusal(with({"my_crate/fifo", "", AE_IFIFO})).find("device, fifo") != std::string::npos);
  CHECK(Refusal(with({"/etc/cron.d/x", "x"})).find("absolute path") != std::string::npos);
  CHECK(Refusal(with({"my_crate/../../x", "x"})).find("`..` part") != std::string::npos);
  CHECK(Refusal(with({"../x", "x"})).find("`..` part") != std::string::npos);
  CHECK(Refusal(with({"a//b", "x"})).find("empty") != std::string::npos);
  CHECK(Refusal(with({"a\\..\\b", "x"})).find("backslash") != std::string::npos);
  CHECK(Refusal(with({"a\nb", "x"})).find("control character") != std::string::npos);
  CHECK(Refusal(with({"my_crate/index.html", "twice"})).find("same path twice") !=
        std::string::npos);
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "d/";
  CHECK(Refusal(with({deep + "f", "x"})).find("nests deeper") != std::string::npos);
}

TEST_CASE("the size, file count and ratio limits are enforced") {
  DocsLimits limits;
  limits.max_files = 3;
  std::vector<DocsEntry> four = MinimalDocsTree("my_crate");
  four.push_back({"extra.html", "x"});
  CHECK(Refusal(four, limits).find("more than 3 files") != std::string::npos);

  limits = DocsLimits{};
  limits.max_file = 1000;
  CHECK(Refusal(MinimalDocsTree("my_crate"), limits).find("larger than") != std::string::npos);

  limits = DocsLimits{};
  limits.max_unpacked = 3000;
  CHECK(Refusal(MinimalDocsTree("my_crate"), limits).find("unpacks to more than") !=
        std::string::npos);

  // 8 MiB of zeros compress to a few KiB: past a 100:1 ratio once over the floor.
  limits = DocsLimits{};
  limits.ratio_floor = 1 << 20;
  std::vector<DocsEntry> bomb = MinimalDocsTree("my_crate");
  bomb.push_back({"my_crate/bomb.html", std::string(8 << 20, '\0')});
  CHECK(Refusal(bomb, limits).find("times its size") != std::string::npos);
}

TEST_CASE("docs files get their content types from the extension") {
  CHECK(DocsContentType("serde/index.html") == "text/html; charset=utf-8");
  CHECK(DocsContentType("static.files/main-1234.js") == "text/javascript; charset=utf-8");
  CHECK(DocsContentType("static.files/rustdoc.css") == "text/css; charset=utf-8");
  CHECK(DocsContentType("static.files/FiraSans-Regular.woff2") == "font/woff2");
  CHECK(DocsContentType("static.files/favicon.svg") == "image/svg+xml");
  CHECK(DocsContentType("src/lib.rs") == "application/octet-stream");
  CHECK(DocsRootDir("my-crate") == "my_crate");
}

}  // namespace
}  // namespace registry
