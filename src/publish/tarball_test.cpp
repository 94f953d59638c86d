// Tests for CheckTarball on .crate files built in memory with libarchive's writer.
#include "publish/tarball.h"

#include <doctest/doctest.h>

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <string>
#include <vector>

namespace registry {
namespace {

enum class Type { kFile, kDir, kSymlink, kHardlink, kFifo, kCharDevice };

struct Entry {
  std::string path;
  Type type = Type::kFile;
  std::string content;   // files only
  std::string linkname;  // links only
};

enum class Format { kPax, kGnuTar };

struct ArchiveWriteDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

la_ssize_t AppendToString(archive*, void* out, const void* buffer, size_t length) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

// A tar of `entries`, gzip-compressed unless `gzip` is false.
std::string MakeTar(const std::vector<Entry>& entries, Format format = Format::kPax,
                    bool gzip = true) {
  std::string out;
  std::unique_ptr<archive, ArchiveWriteDeleter> writer(archive_write_new());
  archive* a = writer.get();
  if (gzip) REQUIRE(archive_write_add_filter_gzip(a) == ARCHIVE_OK);
  REQUIRE((format == Format::kPax ? archive_write_set_format_pax_restricted(a)
                                  : archive_write_set_format_gnutar(a)) == ARCHIVE_OK);
  REQUIRE(archive_write_open(a, &out, nullptr, AppendToString, nullptr) == ARCHIVE_OK);
  for (const Entry& e : entries) {
    std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
    archive_entry* ae = entry.get();
    archive_entry_set_pathname(ae, e.path.c_str());
    archive_entry_set_perm(ae, 0644);
    archive_entry_set_mtime(ae, 1700000000, 0);
    switch (e.type) {
      case Type::kFile:
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_size(ae, static_cast<la_int64_t>(e.content.size()));
        break;
      case Type::kDir:
        archive_entry_set_filetype(ae, AE_IFDIR);
        archive_entry_set_perm(ae, 0755);
        break;
      case Type::kSymlink:
        archive_entry_set_filetype(ae, AE_IFLNK);
        archive_entry_set_symlink(ae, e.linkname.c_str());
        break;
      case Type::kHardlink:
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_hardlink(ae, e.linkname.c_str());
        break;
      case Type::kFifo:
        archive_entry_set_filetype(ae, AE_IFIFO);
        break;
      case Type::kCharDevice:
        archive_entry_set_filetype(ae, AE_IFCHR);
        archive_entry_set_rdev(ae, 0x0103);
        break;
    }
    REQUIRE_MESSAGE(archive_write_header(a, ae) >= ARCHIVE_WARN, archive_error_string(a));
    if (e.type == Type::kFile && !e.content.empty()) {
      REQUIRE(archive_write_data(a, e.content.data(), e.content.size()) ==
              static_cast<la_ssize_t>(e.content.size()));
    }
  }
  REQUIRE(archive_write_close(a) == ARCHIVE_OK);
  return out;
}

// `content` gzip-compressed, with no tar inside.
std::string GzipOnly(const std::string& content) {
  std::string out;
  std::unique_ptr<archive, ArchiveWriteDeleter> writer(archive_write_new());
  archive* a = writer.get();
  REQUIRE(archive_write_add_filter_gzip(a) == ARCHIVE_OK);
  REQUIRE(archive_write_set_format_raw(a) == ARCHIVE_OK);
  REQUIRE(archive_write_open(a, &out, nullptr, AppendToString, nullptr) == ARCHIVE_OK);
  std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  REQUIRE(archive_write_header(a, entry.get()) == ARCHIVE_OK);
  REQUIRE(archive_write_data(a, content.data(), content.size()) ==
          static_cast<la_ssize_t>(content.size()));
  REQUIRE(archive_write_close(a) == ARCHIVE_OK);
  return out;
}

const std::string kManifest =
    "[package]\nname = \"foo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";

Entry Manifest(const std::string& text = kManifest) {
  return {"foo-0.1.0/Cargo.toml", Type::kFile, text, ""};
}
Entry File(const std::string& path, const std::string& content = "x") {
  return {path, Type::kFile, content, ""};
}
Entry Dir(const std::string& path) { return {path, Type::kDir, "", ""}; }

// Bytes that gzip cannot shrink, so a truncation lands in the middle of the data.
std::string Noise(size_t n) {
  std::string out(n, '\0');
  uint32_t x = 12345;
  for (char& c : out) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 24);
  }
  return out;
}

TEST_CASE("CheckTarball accepts what cargo package produces") {
  struct Case {
    std::string behaviour;
    std::vector<Entry> entries;
    Format format;
    uint64_t unpacked_size;
    uint64_t file_count;
  };
  const std::string long_path =
      "foo-0.1.0/" + std::string(60, 'd') + "/" + std::string(60, 'f') + ".rs";
  const std::vector<Entry> cargo_files = {File("foo-0.1.0/.cargo_vcs_info.json", "{}"),
                                          File("foo-0.1.0/Cargo.lock", "# lock\n"), Manifest(),
                                          File("foo-0.1.0/Cargo.toml.orig", "[package]\n"),
                                          File("foo-0.1.0/src/lib.rs", "pub fn f() {}\n")};
  const uint64_t cargo_size = 2 + 7 + kManifest.size() + 10 + 14;
  const std::vector<Case> cases = {
      {"cargo's files in pax format", cargo_files, Format::kPax, cargo_size, 5},
      {"cargo's files in GNU tar format", cargo_files, Format::kGnuTar, cargo_size, 5},
      {"only a Cargo.toml", {Manifest()}, Format::kPax, kManifest.size(), 1},
      {"directory entries, the prefix directory itself included",
       {Dir("foo-0.1.0"), Dir("foo-0.1.0/"), Dir("foo-0.1.0/src/"), Manifest()},
       Format::kPax,
       kManifest.size(),
       1},
      {"a path longer than 100 characters in pax format",
       {Manifest(), File(long_path, "abc")},
       Format::kPax,
       kManifest.size() + 3,
       2},
      {"a path longer than 100 characters in GNU tar format",
       {Manifest(), File(long_path, "abc")},
       Format::kGnuTar,
       kManifest.size() + 3,
       2},
      {"a non-ASCII file name",
       {Manifest(), File("foo-0.1.0/src/\xc3\xbcnicode.rs", "ab")},
       Format::kPax,
       kManifest.size() + 2,
       2},
      {"an empty file",
       {Manifest(), File("foo-0.1.0/src/empty.rs", "")},
       Format::kPax,
       kManifest.size(),
       2},
      {"a file name starting with two dots",
       {Manifest(), File("foo-0.1.0/..hidden")},
       Format::kPax,
       kManifest.size() + 1,
       2},
  };
  for (const Case& c : cases) {
    INFO(c.behaviour);
    Result<TarballInfo> info = CheckTarball(MakeTar(c.entries, c.format), "foo", "0.1.0", {});
    REQUIRE_MESSAGE(info.ok(), info.status().message());
    CHECK(info->unpacked_size == c.unpacked_size);
    CHECK(info->file_count == c.file_count);
  }
}

TEST_CASE("CheckTarball lists the files target discovery looks at, and no others") {
  Result<TarballInfo> info = CheckTarball(
      MakeTar({Manifest(), File("foo-0.1.0/src/main.rs"), File("foo-0.1.0/src/lib.rs"),
               File("foo-0.1.0/src/bin/a.rs"), File("foo-0.1.0/src/bin/b/main.rs"),
               File("foo-0.1.0/src/bin/b/util.rs"), File("foo-0.1.0/src/bin/notes.txt"),
               File("foo-0.1.0/src/bin/c/d/main.rs"), File("foo-0.1.0/examples/main.rs")}),
      "foo", "0.1.0", {});
  REQUIRE_MESSAGE(info.ok(), info.status().message());
  CHECK(info->target_sources ==
        std::vector<std::string>{"src/main.rs", "src/lib.rs", "src/bin/a.rs", "src/bin/b/main.rs"});
}

TEST_CASE("CheckTarball matches name and version exactly, build metadata included") {
  const std::string manifest = "[package]\nname = \"My-Crate\"\nversion = \"1.0.0-rc.1+build.5\"\n";
  const std::string crate =
      MakeTar({{"My-Crate-1.0.0-rc.1+build.5/Cargo.toml", Type::kFile, manifest, ""}});
  CHECK(CheckTarball(crate, "My-Crate", "1.0.0-rc.1+build.5", {}).ok());
}

TEST_CASE("CheckTarball refuses entries that could escape or surprise the unpack directory") {
  struct Case {
    std::string behaviour;
    Entry entry;
    std::string message;
  };
  const std::string long_outside = "bar-0.1.0/" + std::string(120, 'x');
  const std::vector<Case> cases = {
      {"a symbolic link",
       {"foo-0.1.0/link", Type::kSymlink, "", "/etc/passwd"},
       "invalid crate file: entry `foo-0.1.0/link` is a symbolic link"},
      {"a hard link",
       {"foo-0.1.0/hard", Type::kHardlink, "", "foo-0.1.0/Cargo.toml"},
       "invalid crate file: entry `foo-0.1.0/hard` is a hard link"},
      {"a FIFO",
       {"foo-0.1.0/pipe", Type::kFifo, "", ""},
       "invalid crate file: entry `foo-0.1.0/pipe` is a FIFO"},
      {"a character device",
       {"foo-0.1.0/tty", Type::kCharDevice, "", ""},
       "invalid crate file: entry `foo-0.1.0/tty` is a device"},
      {"a leading `..`", File("../x"),
       "invalid crate file: entry `../x` contains a `..` component"},
      {"a `..` inside the prefix", File("foo-0.1.0/src/../../x"),
       "invalid crate file: entry `foo-0.1.0/src/../../x` contains a `..` component"},
      // The writer stores directories with a trailing slash.
      {"a trailing `..` directory", Dir("foo-0.1.0/.."),
       "invalid crate file: entry `foo-0.1.0/../` contains a `..` component"},
      {"a `..` between backslashes", File("foo-0.1.0\\..\\..\\x"),
       "invalid crate file: entry `foo-0.1.0\\..\\..\\x` contains a `..` component"},
      {"an absolute path", File("/etc/x"),
       "invalid crate file: entry `/etc/x` has an absolute path"},
      {"a `.` component", File("foo-0.1.0/./Cargo.toml"),
       "invalid crate file: entry `foo-0.1.0/./Cargo.toml` has an empty or `.` path component"},
      {"an empty component", File("foo-0.1.0//Cargo.toml"),
       "invalid crate file: entry `foo-0.1.0//Cargo.toml` has an empty or `.` path component"},
      {"a leading `./`", File("./foo-0.1.0/x"),
       "invalid crate file: entry `./foo-0.1.0/x` has an empty or `.` path component"},
      {"another crate's prefix", File("bar-0.1.0/x"),
       "invalid crate file: entry `bar-0.1.0/x` is not under `foo-0.1.0/`"},
      {"a prefix without the separator", File("foo-0.1.0x/y"),
       "invalid crate file: entry `foo-0.1.0x/y` is not under `foo-0.1.0/`"},
      {"another version's prefix", File("foo-0.1.1/x"),
       "invalid crate file: entry `foo-0.1.1/x` is not under `foo-0.1.0/`"},
      {"a file named like the prefix directory", File("foo-0.1.0"),
       "invalid crate file: entry `foo-0.1.0` is not under `foo-0.1.0/`"},
      {"a file beside the prefix", File("README.md"),
       "invalid crate file: entry `README.md` is not under `foo-0.1.0/`"},
      {"a long path outside the prefix", File(long_outside),
       "invalid crate file: entry `" + long_outside + "` is not under `foo-0.1.0/`"},
  };
  for (const Case& c : cases) {
    INFO(c.behaviour);
    for (Format format : {Format::kPax, Format::kGnuTar}) {
      Result<TarballInfo> info =
          CheckTarball(MakeTar({Manifest(), c.entry}, format), "foo", "0.1.0", {});
      REQUIRE_FALSE(info.ok());
      CHECK(info.status().code() == Code::kInvalid);
      CHECK(info.status().message() == c.message);
    }
  }
}

TEST_CASE("CheckTarball requires exactly one matching Cargo.toml") {
  struct Case {
    std::string behaviour;
    std::vector<Entry> entries;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"no entries at all", {}, "invalid crate file: no `foo-0.1.0/Cargo.toml` in the archive"},
      {"no Cargo.toml",
       {File("foo-0.1.0/src/lib.rs")},
       "invalid crate file: no `foo-0.1.0/Cargo.toml` in the archive"},
      {"only a nested Cargo.toml",
       {File("foo-0.1.0/sub/Cargo.toml", kManifest)},
       "invalid crate file: no `foo-0.1.0/Cargo.toml` in the archive"},
      {"only Cargo.toml.orig",
       {File("foo-0.1.0/Cargo.toml.orig", kManifest)},
       "invalid crate file: no `foo-0.1.0/Cargo.toml` in the archive"},
      {"two Cargo.toml entries",
       {Manifest(), Manifest()},
       "invalid crate file: entry `foo-0.1.0/Cargo.toml` appears twice"},
      {"a second manifest in upper case",
       {Manifest(), File("foo-0.1.0/CARGO.TOML", kManifest)},
       "invalid crate file: entries `foo-0.1.0/Cargo.toml` and `foo-0.1.0/CARGO.TOML` differ "
       "only in case (or `/` and `\\`)"},
      {"a lower-case manifest claiming another name, first",
       {File("foo-0.1.0/cargo.toml", "[package]\nname = \"bar\"\nversion = \"0.1.0\"\n"),
        Manifest()},
       "invalid crate file: entries `foo-0.1.0/cargo.toml` and `foo-0.1.0/Cargo.toml` differ "
       "only in case (or `/` and `\\`)"},
      {"two source files differing in case",
       {Manifest(), File("foo-0.1.0/src/lib.rs"), File("foo-0.1.0/SRC/lib.rs")},
       "invalid crate file: entries `foo-0.1.0/src/lib.rs` and `foo-0.1.0/SRC/lib.rs` differ "
       "only in case (or `/` and `\\`)"},
      {"Cargo.toml is a directory",
       {Dir("foo-0.1.0/Cargo.toml")},
       "invalid crate file: `foo-0.1.0/Cargo.toml` is not a regular file"},
      {"another name in Cargo.toml",
       {Manifest("[package]\nname = \"bar\"\nversion = \"0.1.0\"\n")},
       "invalid crate file: Cargo.toml says name `bar` but the metadata says `foo`"},
      {"a differently cased name in Cargo.toml",
       {Manifest("[package]\nname = \"Foo\"\nversion = \"0.1.0\"\n")},
       "invalid crate file: Cargo.toml says name `Foo` but the metadata says `foo`"},
      {"another version in Cargo.toml",
       {Manifest("[package]\nname = \"foo\"\nversion = \"0.2.0\"\n")},
       "invalid crate file: Cargo.toml says version `0.2.0` but the metadata says `0.1.0`"},
      {"build metadata only in Cargo.toml",
       {Manifest("[package]\nname = \"foo\"\nversion = \"0.1.0+b\"\n")},
       "invalid crate file: Cargo.toml says version `0.1.0+b` but the metadata says `0.1.0`"},
      {"no [package] table",
       {Manifest("[dependencies]\nserde = \"1\"\n")},
       "invalid crate file: Cargo.toml has no string `package.name`"},
      {"a numeric package name",
       {Manifest("[package]\nname = 1\nversion = \"0.1.0\"\n")},
       "invalid crate file: Cargo.toml has no string `package.name`"},
      {"no package version",
       {Manifest("[package]\nname = \"foo\"\n")},
       "invalid crate file: Cargo.toml has no string `package.version`"},
      {"a workspace-inherited version",
       {Manifest("[package]\nname = \"foo\"\nversion.workspace = true\n")},
       "invalid crate file: Cargo.toml has no string `package.version`"},
      {"invalid TOML",
       {Manifest("[package\nname = \"foo\"\n")},
       "invalid crate file: `foo-0.1.0/Cargo.toml` is not valid TOML: Error while parsing table "
       "header: expected ']', saw '\\n' (line 1, column 9)"},
      {"a duplicate TOML key",
       {Manifest("[package]\nname = \"foo\"\nname = \"foo\"\n")},
       "invalid crate file: `foo-0.1.0/Cargo.toml` is not valid TOML: Error while parsing "
       "key-value pair: cannot redefine existing string 'name' (line 3, column 8)"},
  };
  for (const Case& c : cases) {
    INFO(c.behaviour);
    Result<TarballInfo> info = CheckTarball(MakeTar(c.entries), "foo", "0.1.0", {});
    REQUIRE_FALSE(info.ok());
    CHECK(info.status().code() == Code::kInvalid);
    CHECK(info.status().message() == c.message);
  }
}

TEST_CASE("CheckTarball refuses anything but an intact gzip-compressed tar") {
  const std::string good = MakeTar({Manifest(), File("foo-0.1.0/src/big.rs", Noise(200000))});
  REQUIRE(CheckTarball(good, "foo", "0.1.0", {}).ok());
  struct Case {
    std::string behaviour;
    std::string crate;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"empty input", "", "invalid crate file: not a gzip-compressed tar archive"},
      {"text", "hello, world", "invalid crate file: not a gzip-compressed tar archive"},
      {"an uncompressed tar", MakeTar({Manifest()}, Format::kPax, /*gzip=*/false),
       "invalid crate file: not a gzip-compressed tar archive"},
      {"gzip magic without a stream", "\x1f\x8b",
       "invalid crate file: not a gzip-compressed tar archive"},
      {"gzip cut inside the file data", good.substr(0, good.size() / 2),
       "invalid crate file: the archive is corrupt or truncated (truncated gzip input)"},
      {"gzip cut inside the first header", good.substr(0, 100),
       "invalid crate file: the archive is corrupt or truncated (truncated gzip input)"},
      {"gzip of text", GzipOnly("hello, world\n"),
       "invalid crate file: not a gzip-compressed tar archive"},
  };
  for (const Case& c : cases) {
    INFO(c.behaviour);
    Result<TarballInfo> info = CheckTarball(c.crate, "foo", "0.1.0", {});
    REQUIRE_FALSE(info.ok());
    CHECK(info.status().code() == Code::kInvalid);
    CHECK(info.status().message() == c.message);
  }
}

// A bare ustar header for a regular file of `size` bytes, with none of its data after it.
std::string UstarHeader(const std::string& path, uint64_t size) {
  std::string header(512, '\0');
  auto put = [&header](size_t offset, const std::string& field) {
    header.replace(offset, field.size(), field);
  };
  auto octal = [](uint64_t value, int digits) {
    std::string text(digits, '0');
    for (int i = digits - 1; i >= 0 && value != 0; --i, value >>= 3) text[i] = '0' + (value & 7);
    return text;
  };
  put(0, path);
  put(100, octal(0644, 7));
  put(108, octal(0, 7));
  put(116, octal(0, 7));
  put(124, octal(size, 11));
  put(136, octal(1700000000, 11));
  put(148, std::string(8, ' '));
  header[156] = '0';
  put(257, std::string("ustar\0", 6) + "00");
  unsigned sum = 0;
  for (char c : header) sum += static_cast<unsigned char>(c);
  put(148, octal(sum, 6) + std::string("\0 ", 2));
  return header;
}

TEST_CASE("CheckTarball refuses a declared size past the limit before inflating it") {
  // 1 GiB is declared but not one byte of it follows: only the header can have refused it.
  const std::string crate = GzipOnly(UstarHeader("foo-0.1.0/big", 1ull << 30));
  Result<TarballInfo> info = CheckTarball(crate, "foo", "0.1.0", {});
  REQUIRE_FALSE(info.ok());
  CHECK(info.status().code() == Code::kTooLarge);
  CHECK(info.status().message() == "invalid crate file: it unpacks to more than 536870912 bytes");

  // The same header under the limit fails only when the missing data is read.
  Result<TarballInfo> truncated =
      CheckTarball(GzipOnly(UstarHeader("foo-0.1.0/big", 1000)), "foo", "0.1.0", {});
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.status().message() ==
        "invalid crate file: the archive is corrupt or truncated (Truncated tar archive)");
}

TEST_CASE("CheckTarball refuses archives that unpack past the limit with TooLarge") {
  const TarballLimits limits{.max_unpacked = 100};
  const std::string at_limit =
      MakeTar({Manifest(), File("foo-0.1.0/a", std::string(100 - kManifest.size(), 'a'))});
  Result<TarballInfo> ok = CheckTarball(at_limit, "foo", "0.1.0", limits);
  REQUIRE_MESSAGE(ok.ok(), ok.status().message());
  CHECK(ok->unpacked_size == 100);

  struct Case {
    std::string behaviour;
    std::vector<Entry> entries;
    TarballLimits limits;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"one byte over in the last file",
       {Manifest(), File("foo-0.1.0/a", std::string(101 - kManifest.size(), 'a'))},
       limits,
       "invalid crate file: it unpacks to more than 100 bytes"},
      {"many small files",
       {Manifest(), File("foo-0.1.0/a", std::string(40, 'a')),
        File("foo-0.1.0/b", std::string(40, 'b'))},
       limits,
       "invalid crate file: it unpacks to more than 100 bytes"},
      {"a Cargo.toml over 10 MiB",
       {Manifest(kManifest + std::string((10u << 20) - kManifest.size() + 1, '\n'))},
       {},
       "invalid crate file: `foo-0.1.0/Cargo.toml` is over 10485760 bytes"},
  };
  for (const Case& c : cases) {
    INFO(c.behaviour);
    Result<TarballInfo> info = CheckTarball(MakeTar(c.entries), "foo", "0.1.0", c.limits);
    REQUIRE_FALSE(info.ok());
    CHECK(info.status().code() == Code::kTooLarge);
    CHECK(info.status().message() == c.message);
  }
}

TEST_CASE("CheckTarball accepts a directory listed twice") {
  std::string tar = MakeTar({Dir("foo-0.1.0/src"), Dir("foo-0.1.0/src/"), Manifest()});
  Result<TarballInfo> info = CheckTarball(tar, "foo", "0.1.0", {});
  CHECK_MESSAGE(info.ok(), info.status().message());
}

TEST_CASE("CheckTarball caps the number of entries") {
  std::vector<Entry> entries = {Manifest()};
  for (int i = 0; i < 30; ++i) entries.push_back(File("foo-0.1.0/f" + std::to_string(i)));
  TarballLimits limits;
  limits.max_entries = 20;
  Result<TarballInfo> info = CheckTarball(MakeTar(entries), "foo", "0.1.0", limits);
  REQUIRE_FALSE(info.ok());
  CHECK(info.status().code() == Code::kTooLarge);
  CHECK(info.status().message() == "invalid crate file: it has more than 20 entries");
  limits.max_entries = 31;
  CHECK(CheckTarball(MakeTar(entries), "foo", "0.1.0", limits).ok());
}

}  // namespace
}  // namespace registry
