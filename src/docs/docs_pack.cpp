// Two steps: list the tree (names and sizes only, sorted), then stream each file through
// libarchive's tar writer and zstd filter into a temp file, one 64 KiB buffer at a time.
#include "docs/docs_pack.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

#include "base/archive_handle.h"
#include "docs/docs_archive.h"

namespace registry {

namespace fs = std::filesystem;

namespace {

// One entry to pack: its path below the packed directory, with '/' between parts.
struct PackDocsEntry {
  std::string rel;
  bool dir = false;
  uint64_t size = 0;
};

// Closes a descriptor on every path out of a function.
class PackDocsFd {
 public:
  explicit PackDocsFd(int fd) : fd_(fd) {}
  ~PackDocsFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  PackDocsFd(const PackDocsFd&) = delete;
  PackDocsFd& operator=(const PackDocsFd&) = delete;
  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

// zstd's default level: on rustdoc's HTML, level 9 saves a quarter of the bytes but takes
// five times as long, which pays only on links slower than about 2 Mbit/s (measured on the
// standard library's docs, docs/MEASUREMENTS.md "Hosted docs storage").
static constexpr const char* kPackDocsZstdLevel = "3";

PackedDocs::~PackedDocs() {
  if (fd_ >= 0) ::close(fd_);
}

PackedDocs::PackedDocs(PackedDocs&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), size_(other.size_), stats_(other.stats_) {}

PackedDocs& PackedDocs::operator=(PackedDocs&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
    stats_ = other.stats_;
  }
  return *this;
}

Result<size_t> PackedDocs::ReadAt(uint64_t offset, char* buf, size_t n) const {
  size_t done = 0;
  while (done < n && offset + done < size_) {
    ssize_t got = ::pread(fd_, buf + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return Status::Io(std::string("reading the packed docs: ") + std::strerror(errno));
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return done;
}

Result<std::string> PackedDocs::ReadAll(uint64_t max_size) const {
  if (size_ > max_size) {
    return Status::TooLarge("the packed docs are " + std::to_string(size_) + " bytes, over " +
                            std::to_string(max_size));
  }
  std::string out(size_, '\0');
  Result<size_t> got = ReadAt(0, out.data(), out.size());
  if (!got.ok()) return got.status();
  out.resize(*got);
  return out;
}

// Adds what `root`/`rel` holds to `out`, recursing into directories down to `max_depth`
// levels (the depth the server accepts). Never follows a symbolic link.
static Status PackDocsList(const fs::path& root, const std::string& rel, int depth, int max_depth,
                           std::vector<PackDocsEntry>* out, DocsPackStats* stats) {
  fs::path here = rel.empty() ? root : root / rel;
  std::error_code ec;
  fs::directory_iterator it(here, ec);
  if (ec) return Status::Io("cannot read " + here.string() + ": " + ec.message());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    std::string path = rel.empty() ? name : rel + "/" + name;
    if (!name.empty() && name.front() == '.') {
      ++stats->skipped_hidden;
      continue;
    }
    fs::file_status st = it->symlink_status(ec);
    if (ec) return Status::Io("cannot stat " + (root / path).string() + ": " + ec.message());
    if (fs::is_symlink(st)) {
      ++stats->skipped_links;
    } else if (fs::is_directory(st)) {
      if (depth + 1 >= max_depth) {
        return Status::Invalid((root / path).string() + " nests deeper than " +
                               std::to_string(max_depth) +
                               " directories, which no rustdoc output does");
      }
      out->push_back({path, true, 0});
      ++stats->dirs;
      RETURN_IF_ERROR(PackDocsList(root, path, depth + 1, max_depth, out, stats));
    } else if (fs::is_regular_file(st)) {
      uint64_t size = fs::file_size(it->path(), ec);
      if (ec) return Status::Io("cannot stat " + (root / path).string() + ": " + ec.message());
      out->push_back({path, false, size});
      ++stats->files;
      stats->bytes += size;
    } else {
      ++stats->skipped_other;
    }
  }
  if (ec) return Status::Io("cannot read " + here.string() + ": " + ec.message());
  return Status::Ok();
}

// Refuses a directory that is not a crate's `cargo doc` output, naming what would be.
static Status PackDocsCheckRoot(const std::string& dir, std::string_view crate_name) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::Invalid(dir +
                           " is not a directory: pass the output of `cargo doc` (target/doc)");
  }
  std::string index = DocsRootDir(crate_name) + "/index.html";
  if (fs::is_regular_file(fs::symlink_status(fs::path(dir) / index, ec))) return Status::Ok();
  std::string hint = "run `cargo doc` first, or pass target/TRIPLE/doc";
  if (fs::is_regular_file(fs::symlink_status(fs::path(dir) / "doc" / index, ec))) {
    hint = "pass " + (fs::path(dir) / "doc").string();
  }
  return Status::Invalid(dir + " has no " + index + ": " + hint);
}

// An unlinked file in `tmp_dir`, open for reading and writing.
static Result<int> PackDocsTempFile(std::string tmp_dir) {
  if (tmp_dir.empty()) {
    const char* env = std::getenv("TMPDIR");
    tmp_dir = env && *env ? env : "/tmp";
  }
  std::string tmpl = (fs::path(tmp_dir) / "registry-docs-XXXXXX").string();
  int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd < 0) {
    return Status::Io("cannot create a temporary file in " + tmp_dir + ": " + std::strerror(errno));
  }
  ::unlink(tmpl.c_str());
  return fd;
}

// Writes one entry's header and, for a file, its bytes read from `root`/`e.rel`.
static Status PackDocsWrite(archive* a, const fs::path& root, const PackDocsEntry& e) {
  ArchiveEntry entry(archive_entry_new());
  archive_entry_set_pathname(entry.get(), (e.dir ? e.rel + "/" : e.rel).c_str());
  archive_entry_set_filetype(entry.get(), e.dir ? AE_IFDIR : AE_IFREG);
  archive_entry_set_perm(entry.get(), e.dir ? 0755 : 0644);
  archive_entry_set_mtime(entry.get(), 0, 0);
  archive_entry_set_size(entry.get(), e.dir ? 0 : static_cast<la_int64_t>(e.size));
  if (archive_write_header(a, entry.get()) != ARCHIVE_OK)
    return ArchiveError(a, "packing " + e.rel);
  if (e.dir) return Status::Ok();

  std::string path = (root / e.rel).string();
  PackDocsFd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (in.get() < 0) return Status::Io("cannot open " + path + ": " + std::strerror(errno));
  // libarchive pads a short entry with zeros, so a file that shrinks or grows while it is
  // packed would be stored wrong: both are refused.
  uint64_t done = 0;
  bool grew = false;
  char buf[64 << 10];
  for (;;) {
    ssize_t n = ::read(in.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Io("cannot read " + path + ": " + std::strerror(errno));
    if (n == 0) break;
    if (done + static_cast<uint64_t>(n) > e.size) {
      grew = true;
      break;
    }
    if (archive_write_data(a, buf, static_cast<size_t>(n)) < 0) {
      return ArchiveError(a, "packing " + e.rel);
    }
    done += static_cast<uint64_t>(n);
  }
  if (grew || done != e.size) {
    return Status::Io(path +
                      " changed while it was packed: run the upload again after "
                      "`cargo doc` has finished");
  }
  return Status::Ok();
}

Result<PackedDocs> PackDocsDir(const std::string& dir, std::string_view crate_name,
                               const std::string& tmp_dir) {
  RETURN_IF_ERROR(PackDocsCheckRoot(dir, crate_name));
  DocsPackStats stats;
  std::vector<PackDocsEntry> entries;
  RETURN_IF_ERROR(PackDocsList(dir, "", 0, DocsLimits{}.max_depth, &entries, &stats));
  // Sorted by path, so a directory comes before what it holds and equal trees pack equally.
  std::sort(entries.begin(), entries.end(),
            [](const PackDocsEntry& x, const PackDocsEntry& y) { return x.rel < y.rel; });

  Result<int> fd = PackDocsTempFile(tmp_dir);
  if (!fd.ok()) return fd.status();
  PackDocsFd out(*fd);
  ArchiveWriter a(archive_write_new());
  if (archive_write_add_filter_zstd(a.get()) != ARCHIVE_OK ||
      archive_write_set_filter_option(a.get(), "zstd", "compression-level", kPackDocsZstdLevel) !=
          ARCHIVE_OK ||
      archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK ||
      archive_write_open_fd(a.get(), out.get()) != ARCHIVE_OK) {
    return ArchiveError(a.get(), "starting the docs archive");
  }
  fs::path root(dir);
  for (const PackDocsEntry& e : entries) RETURN_IF_ERROR(PackDocsWrite(a.get(), root, e));
  if (archive_write_close(a.get()) != ARCHIVE_OK) {
    return ArchiveError(a.get(), "finishing the docs archive");
  }
  struct stat st;
  if (::fstat(out.get(), &st) != 0) {
    return Status::Io(std::string("cannot stat the packed docs: ") + std::strerror(errno));
  }
  return PackedDocs(out.Release(), static_cast<uint64_t>(st.st_size), stats);
}

}  // namespace registry
