// Tests for Registry's hosted docs on a real database and docs blob store: who may upload,
// what is stored once, what a refused upload leaves (nothing), replacing and deleting.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_util/crate_builder.h"
#include "test_util/docs_archive_builder.h"
#include "test_util/registry_env.h"

namespace registry {
namespace {

using Json = nlohmann::json;

class DocsFixture : public RegistryEnv {
 protected:
  DocsFixture() {
    REQUIRE(users.Add(Actor::ForCli(), "alice", false).ok());
    REQUIRE(users.Add(Actor::ForCli(), "bob", false).ok());
    alice = Actor::ForSession(*users.Find("alice"), 1, "127.0.0.1");
    bob = Actor::ForSession(*users.Find("bob"), 2, "127.0.0.1");
    Publish("my-crate", "1.0.0");
    Publish("my-crate", "1.1.0");
  }
  void Publish(const std::string& name, const std::string& vers) {
    Json meta = {
        {"name", name}, {"vers", vers}, {"deps", Json::array()}, {"features", Json::object()}};
    Result<Published> p =
        registry.Publish(alice, MakePublishBody(meta.dump(), MakeCrateFile(name, vers)));
    REQUIRE_MESSAGE(p.ok(), p.status().message());
  }
  static std::string Archive(const std::string& page = "docs of my_crate") {
    std::vector<DocsEntry> tree = MinimalDocsTree("my_crate");
    tree[1].data = "<!doctype html><p>" + page;
    return MakeDocsArchive(tree);
  }
  Result<DocsUpload> Upload(const Actor& who, const std::string& vers,
                            const std::string& archive = Archive()) {
    return registry.UploadDocs(who, "my-crate", vers, archive, DocsLimits{});
  }
  // Files in the docs blob store.
  int StoredBlobs() {
    int n = 0;
    std::error_code ec;
    for (const auto& e :
         std::filesystem::recursive_directory_iterator(dir.path() + "/docs/blobs", ec)) {
      n += e.is_regular_file() ? 1 : 0;
    }
    return n;
  }
  std::string Page(const Actor& who, const std::string& vers) {
    Result<DocsFile> f = registry.ReadDocsFile(who, "my-crate", vers, "my_crate/index.html");
    REQUIRE_MESSAGE(f.ok(), f.status().message());
    Result<std::string> bytes = RealFileSystem()->ReadFile(f->path);
    REQUIRE(bytes.ok());
    CHECK_FALSE(f->gzip);  // a short page: gzip would not save a tenth
    // A small file comes with its bytes, which are what is served: they must be the file's.
    REQUIRE(f->bytes);
    CHECK(*f->bytes == *bytes);
    return *f->bytes;
  }
  Actor alice, bob;
};

TEST_CASE_FIXTURE(DocsFixture, "an owner uploads docs; files shared by versions are stored once") {
  Result<DocsUpload> first = Upload(alice, "1.0.0", Archive("one"));
  REQUIRE_MESSAGE(first.ok(), first.status().message());
  CHECK(first->files == 3);
  CHECK(first->new_blobs == 3);
  CHECK(first->page == "my_crate/index.html");
  CHECK_FALSE(first->replaced);
  Result<DocsUpload> second = Upload(alice, "1.1.0", Archive("two"));
  REQUIRE(second.ok());
  CHECK(second->new_blobs == 1);  // only the page differs
  CHECK(StoredBlobs() == 4);
  CHECK(Page(alice, "1.0.0").find("one") != std::string::npos);
  CHECK(Page(bob, "1.1.0").find("two") != std::string::npos);  // any reader may read

  // The repetitive stylesheet is kept gzip-compressed.
  Result<DocsFile> css = registry.ReadDocsFile(alice, "my-crate", "1.0.0", "static.files/rustdoc.css");
  REQUIRE(css.ok());
  CHECK(css->gzip);
  CHECK(css->size == 4006);
  CHECK(css->stored_size < 200);

  Result<DocsVersion> latest = registry.FindDocs(bob, "my_crate", "latest");
  REQUIRE(latest.ok());
  CHECK(latest->vers == "1.1.0");
  CHECK(latest->name == "my-crate");
  // Yanking keeps the docs, but `latest` prefers a version that is not yanked.
  REQUIRE(registry.SetYanked(alice, "my-crate", "1.1.0", true).ok());
  CHECK(registry.FindDocs(bob, "my-crate", "latest")->vers == "1.0.0");
  CHECK(registry.ReadDocsFile(bob, "my-crate", "1.1.0", "my_crate/index.html").ok());
}

TEST_CASE_FIXTURE(DocsFixture, "small docs files are read with their bytes, large ones by path") {
  std::vector<DocsEntry> tree = MinimalDocsTree("my_crate");
  std::string noise;  // incompressible, so stored as it is
  uint32_t x = 12345;
  for (int i = 0; i < 40000; ++i) {
    x = x * 1103515245 + 12345;
    noise += static_cast<char>(x >> 24);
  }
  tree.push_back({"static.files/font.woff2", noise});
  tree.push_back({"static.files/small.woff2", noise.substr(0, kDocsFileInMemoryBytes)});
  REQUIRE(Upload(alice, "1.0.0", MakeDocsArchive(tree)).ok());
  Result<DocsFile> big = registry.ReadDocsFile(bob, "my-crate", "1.0.0", "static.files/font.woff2");
  REQUIRE(big.ok());
  CHECK_FALSE(big->gzip);
  CHECK(big->stored_size == 40000);
  CHECK_FALSE(big->bytes);
  CHECK(*RealFileSystem()->ReadFile(big->path) == noise);
  Result<DocsFile> edge =
      registry.ReadDocsFile(bob, "my-crate", "1.0.0", "static.files/small.woff2");
  REQUIRE(edge.ok());
  REQUIRE(edge->bytes);
  CHECK(*edge->bytes == noise.substr(0, kDocsFileInMemoryBytes));
  // Read again (from the cache), the same.
  Result<DocsFile> again = registry.ReadDocsFile(bob, "my-crate", "1.0.0", "static.files/small.woff2");
  REQUIRE(again.ok());
  CHECK(again->bytes == edge->bytes);
  CHECK(again->stored_size == kDocsFileInMemoryBytes);
}

TEST_CASE_FIXTURE(DocsFixture, "only owners and administrators with the docs scope upload") {
  Result<DocsUpload> up = Upload(bob, "1.0.0");
  CHECK(up.status().code() == Code::kForbidden);
  Actor no_scope = alice;
  no_scope.scopes = kAllScopes & ~kScopeDocs;
  up = Upload(no_scope, "1.0.0");
  CHECK(up.status().code() == Code::kForbidden);
  CHECK(up.status().message().find("`docs` scope") != std::string::npos);
  Actor other_crates = alice;
  other_crates.crate_patterns = {"other-*"};
  CHECK(Upload(other_crates, "1.0.0").status().code() == Code::kForbidden);
  Actor admin = bob;
  admin.user.is_admin = true;
  CHECK(Upload(admin, "1.0.0").ok());
  // The version must exist.
  CHECK(Upload(alice, "9.9.9").status().code() == Code::kNotFound);
  CHECK(registry.UploadDocs(alice, "no-such", "1.0.0", Archive(), {}).status().code() ==
        Code::kNotFound);
  // Reads follow crate patterns.
  CHECK(registry.ReadDocsFile(other_crates, "my-crate", "1.0.0", "my_crate/index.html")
            .status()
            .code() == Code::kForbidden);
}

TEST_CASE_FIXTURE(DocsFixture, "a refused upload stores nothing and keeps the docs there were") {
  REQUIRE(Upload(alice, "1.0.0", Archive("kept")).ok());
  int before = StoredBlobs();
  std::vector<DocsEntry> evil = MinimalDocsTree("my_crate");
  evil[1].data = "<p>replacement";
  evil.push_back({"my_crate/link", "", AE_IFLNK, "/etc/passwd"});
  Result<DocsUpload> up = Upload(alice, "1.0.0", MakeDocsArchive(evil));
  CHECK(up.status().code() == Code::kInvalid);
  CHECK(StoredBlobs() == before);
  CHECK(Page(alice, "1.0.0").find("kept") != std::string::npos);
  CHECK(Upload(alice, "1.1.0", "garbage").status().code() == Code::kInvalid);
  CHECK(registry.FindDocs(alice, "my-crate", "1.1.0").status().code() == Code::kNotFound);
}

TEST_CASE_FIXTURE(DocsFixture, "replacing and deleting docs remove the files no version uses") {
  REQUIRE(Upload(alice, "1.0.0", Archive("one")).ok());
  REQUIRE(Upload(alice, "1.1.0", Archive("two")).ok());
  CHECK(StoredBlobs() == 4);
  Result<DocsUpload> again = Upload(alice, "1.1.0", Archive("three"));
  REQUIRE(again.ok());
  CHECK(again->replaced);
  CHECK(StoredBlobs() == 4);  // "two" went, "three" came
  CHECK(Page(alice, "1.1.0").find("three") != std::string::npos);
  CHECK(registry.DeleteDocs(bob, "my-crate", "1.1.0").code() == Code::kForbidden);
  REQUIRE(registry.DeleteDocs(alice, "my-crate", "1.1.0").ok());
  CHECK(StoredBlobs() == 3);  // the shared files stay for 1.0.0
  CHECK(registry.DeleteDocs(alice, "my-crate", "1.1.0").code() == Code::kNotFound);
  REQUIRE(registry.DeleteDocs(alice, "my-crate", "1.0.0").ok());
  CHECK(StoredBlobs() == 0);
  CHECK(registry.FindDocs(alice, "my-crate", "latest").status().code() == Code::kNotFound);
}

TEST_CASE_FIXTURE(DocsFixture, "a docs file read before its docs change is read anew after") {
  REQUIRE(Upload(alice, "1.1.0", Archive("two")).ok());
  CHECK(Page(alice, "1.1.0").find("two") != std::string::npos);
  CHECK(Page(bob, "1.1.0").find("two") != std::string::npos);  // found again, for anyone
  Actor other_crates = alice;
  other_crates.crate_patterns = {"other-*"};
  CHECK(registry.ReadDocsFile(other_crates, "my-crate", "1.1.0", "my_crate/index.html")
            .status()
            .code() == Code::kForbidden);
  REQUIRE(Upload(alice, "1.1.0", Archive("three")).ok());
  CHECK(Page(alice, "1.1.0").find("three") != std::string::npos);
  REQUIRE(registry.DeleteDocs(alice, "my-crate", "1.1.0").ok());
  CHECK(registry.ReadDocsFile(alice, "my-crate", "1.1.0", "my_crate/index.html").status().code() ==
        Code::kNotFound);
}

}  // namespace
}  // namespace registry

namespace registry {
namespace {

TEST_CASE_FIXTURE(DocsFixture, "the operator at the command line may delete any crate's docs") {
  REQUIRE(Upload(alice, "1.0.0").ok());
  Status st = registry.DeleteDocs(Actor::ForCli(), "my-crate", "1.0.0");
  CHECK_MESSAGE(st.ok(), st.message());
  CHECK(StoredBlobs() == 0);
}

}  // namespace
}  // namespace registry
