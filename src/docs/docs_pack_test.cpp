// Tests for packing a docs tree: what PackDocsDir writes is what CheckDocsArchive and
// ForEachDocsFile read back, and what it leaves out.
#include "docs/docs_pack.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "docs/docs_archive.h"
#include "test_util/temp_dir.h"

namespace registry {
namespace {

namespace fs = std::filesystem;

void WriteDocsTestFile(const fs::path& path, const std::string& data) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << data;
}

// A small `cargo doc` tree of crate `my-crate` (pages under my_crate/), as a map of its files.
std::map<std::string, std::string> MakeDocsTestTree(const fs::path& root) {
  std::string js;
  for (int i = 0; i < 20000; ++i) js += static_cast<char>((i * 7919) % 251);  // not text
  std::map<std::string, std::string> files = {
      {"my_crate/index.html", "<html>my_crate</html>\n"},
      {"my_crate/struct.Foo.html", "<html>Foo</html>\n"},
      {"my_crate/all.html", ""},
      {"static.files/main-1234abcd.js", js},
      {"search-index.js", "var searchIndex = {};\n"},
      {"src/my_crate/lib.rs.html", std::string(100000, 'x')},
  };
  for (const auto& [path, data] : files) WriteDocsTestFile(root / path, data);
  fs::create_directories(root / "implementors");  // empty: packed as a directory
  WriteDocsTestFile(root / ".lock", "");          // cargo's: left out
  WriteDocsTestFile(root / "my_crate" / ".hidden", "x");
  return files;
}

std::map<std::string, std::string> UnpackDocsForTest(const std::string& archive,
                                                     const DocsTree& tree) {
  std::map<std::string, std::string> out;
  Status st = ForEachDocsFile(archive, tree, DocsLimits{},
                              [&](const std::string& path, std::string_view data) {
                                out[path] = std::string(data);
                                return Status::Ok();
                              });
  REQUIRE_MESSAGE(st.ok(), st.message());
  return out;
}

TEST_CASE("PackDocsDir packs a docs tree that CheckDocsArchive accepts, file for file") {
  TempDir dir;
  fs::path root = fs::path(dir.path()) / "doc";
  std::map<std::string, std::string> files = MakeDocsTestTree(root);
  Result<PackedDocs> packed = PackDocsDir(root.string(), "my-crate", dir.path());
  REQUIRE_MESSAGE(packed.ok(), packed.status().message());
  CHECK(packed->stats().files == 6);
  CHECK(packed->stats().dirs == 5);  // my_crate implementors src src/my_crate static.files
  CHECK(packed->stats().skipped_hidden == 2);
  CHECK(packed->stats().skipped_links == 0);
  uint64_t raw = 0;
  for (const auto& [path, data] : files) raw += data.size();
  CHECK(packed->stats().bytes == raw);
  CHECK(packed->size() < raw / 2);  // zstd did its work

  Result<std::string> bytes = packed->ReadAll(64 << 20);
  REQUIRE(bytes.ok());
  CHECK(bytes->size() == packed->size());
  CHECK(bytes->substr(0, 4) == std::string("\x28\xb5\x2f\xfd", 4));  // zstd's magic
  Result<DocsTree> tree = CheckDocsArchive(*bytes, DocsRootDir("my-crate"), DocsLimits{});
  REQUIRE_MESSAGE(tree.ok(), tree.status().message());
  CHECK(tree->files == 6);
  CHECK(tree->bytes == raw);
  CHECK(tree->prefix == "");
  CHECK(UnpackDocsForTest(*bytes, *tree) == files);
}

TEST_CASE("PackDocsDir packs the same docs tree to the same bytes") {
  TempDir dir;
  fs::path root = fs::path(dir.path()) / "doc";
  MakeDocsTestTree(root);
  Result<PackedDocs> first = PackDocsDir(root.string(), "my_crate", dir.path());
  REQUIRE(first.ok());
  // A later `cargo doc` rewrites every file: new times, same bytes.
  fs::last_write_time(
      root / "my_crate" / "index.html",
      fs::last_write_time(root / "my_crate" / "index.html") - std::chrono::hours(5));
  Result<PackedDocs> second = PackDocsDir(root.string(), "my_crate", dir.path());
  REQUIRE(second.ok());
  CHECK(*first->ReadAll(64 << 20) == *second->ReadAll(64 << 20));
}

TEST_CASE("PackDocsDir refuses a directory without the crate's docs index") {
  TempDir dir;
  fs::path root = fs::path(dir.path()) / "target";
  MakeDocsTestTree(root / "doc");

  Result<PackedDocs> other = PackDocsDir((root / "doc").string(), "serde", dir.path());
  REQUIRE(!other.ok());
  CHECK(other.status().code() == Code::kInvalid);
  CHECK(other.status().message() == (root / "doc").string() +
                                        " has no serde/index.html: run `cargo doc` first, or "
                                        "pass target/TRIPLE/doc");

  Result<PackedDocs> parent = PackDocsDir(root.string(), "my-crate", dir.path());
  REQUIRE(!parent.ok());
  CHECK(parent.status().message() ==
        root.string() + " has no my_crate/index.html: pass " + (root / "doc").string());

  Result<PackedDocs> missing = PackDocsDir((root / "nothing").string(), "my-crate", dir.path());
  REQUIRE(!missing.ok());
  CHECK(missing.status().message() == (root / "nothing").string() +
                                          " is not a directory: pass the output of `cargo doc` "
                                          "(target/doc)");
}

TEST_CASE("PackDocsDir leaves symbolic links out of the docs archive") {
  TempDir dir;
  fs::path root = fs::path(dir.path()) / "doc";
  std::map<std::string, std::string> files = MakeDocsTestTree(root);
  WriteDocsTestFile(fs::path(dir.path()) / "secret.txt", "not docs");
  fs::create_symlink(fs::path(dir.path()) / "secret.txt", root / "my_crate" / "secret.html");
  fs::create_symlink("index.html", root / "my_crate" / "again.html");
  fs::create_directory_symlink(dir.path(), root / "up");

  Result<PackedDocs> packed = PackDocsDir(root.string(), "my_crate", dir.path());
  REQUIRE_MESSAGE(packed.ok(), packed.status().message());
  CHECK(packed->stats().skipped_links == 3);
  CHECK(packed->stats().files == 6);
  Result<std::string> bytes = packed->ReadAll(64 << 20);
  REQUIRE(bytes.ok());
  // CheckDocsArchive refuses any link, so acceptance alone says none was packed.
  Result<DocsTree> tree = CheckDocsArchive(*bytes, "my_crate", DocsLimits{});
  REQUIRE_MESSAGE(tree.ok(), tree.status().message());
  CHECK(UnpackDocsForTest(*bytes, *tree) == files);
}

TEST_CASE("PackDocsDir leaves no docs temp file behind") {
  TempDir dir, tmp;
  fs::path root = fs::path(dir.path()) / "doc";
  MakeDocsTestTree(root);
  {
    Result<PackedDocs> packed = PackDocsDir(root.string(), "my_crate", tmp.path());
    REQUIRE(packed.ok());
    CHECK(packed->size() > 0);
    CHECK(fs::is_empty(tmp.path()));  // unlinked from the start
  }
  CHECK(fs::is_empty(tmp.path()));
}

}  // namespace
}  // namespace registry
