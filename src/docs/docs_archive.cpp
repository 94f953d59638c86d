// Two passes over the same bytes: CheckDocsArchive reads every entry and keeps nothing but
// counts, so a refused upload has written nothing; ForEachDocsFile reads it again to store.
#include "docs/docs_archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <set>

#include "base/archive_handle.h"
#include "base/display_text.h"

namespace registry {

std::string DocsRootDir(std::string_view crate_name) {
  std::string dir(crate_name);
  for (char& c : dir) {
    if (c == '-') c = '_';
  }
  return dir;
}

static std::string Quoted(std::string_view path) { return "\"" + EscapeForDisplay(path) + "\""; }

// `raw` made relative and checked: "./a/b" -> "a/b". Invalid for anything that could leave
// the tree or confuse a path lookup.
static Result<std::string> CleanDocsPath(std::string_view raw, const DocsLimits& limits) {
  if (raw.empty()) return Status::Invalid("the archive has an entry without a name");
  std::string_view p = raw;
  while (p.size() >= 2 && p.substr(0, 2) == "./") p.remove_prefix(2);
  if (p.empty() || p == ".") return std::string();  // the tree's root: "./" or "."
  if (p.size() > limits.max_path) {
    return Status::Invalid("the archive has a path longer than " + std::to_string(limits.max_path) +
                           " bytes");
  }
  if (p.front() == '/') {
    return Status::Invalid("the archive has an absolute path: " + Quoted(raw));
  }
  bool dir = p.back() == '/';
  if (dir) p.remove_suffix(1);
  int depth = 0;
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    std::string_view part = p.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") {
      return Status::Invalid("the archive has a path with an empty, `.` or `..` part: " +
                             Quoted(raw));
    }
    if (++depth > limits.max_depth) {
      return Status::Invalid("the archive nests deeper than " + std::to_string(limits.max_depth) +
                             " directories: " + Quoted(raw));
    }
    start = end + 1;
  }
  for (unsigned char c : p) {
    if (c < 0x20 || c == 0x7f || c == '\\') {
      return Status::Invalid("the archive has a path with a control character or backslash: " +
                             Quoted(raw));
    }
  }
  return std::string(p) + (dir ? "/" : "");
}

static bool IsHiddenDocsFile(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return !base.empty() && base.front() == '.';
}

static ArchiveReader OpenDocsArchive(std::string_view bytes, Status* st) {
  ArchiveReader a(archive_read_new());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_zstd(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_zip(a.get());
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    *st = Status::Invalid("the upload is not a .tar.gz, .tar.zst or .zip archive: " +
                          std::string(archive_error_string(a.get()) ? archive_error_string(a.get())
                                                                    : "unreadable"));
  }
  return a;
}

// Reads every entry of `bytes`; for each regular file that is not hidden calls `file` with
// its checked path and data. Enforces the per-entry checks and the size limits.
static Status WalkDocsArchive(std::string_view bytes, const DocsLimits& limits,
                              const DocsFileSink& file) {
  Status st;
  ArchiveReader a = OpenDocsArchive(bytes, &st);
  if (!st.ok()) return st;
  std::set<std::string> seen;
  uint64_t total = 0;
  int64_t files = 0;
  std::string data;
  for (;;) {
    archive_entry* e = nullptr;
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      return Status::Invalid(std::string("the archive is damaged: ") +
                             (archive_error_string(a.get()) ? archive_error_string(a.get())
                                                            : "unreadable entry"));
    }
    const char* name = archive_entry_pathname_utf8(e);
    if (!name) name = archive_entry_pathname(e);
    if (!name) return Status::Invalid("the archive has an entry without a readable name");
    Result<std::string> path = CleanDocsPath(name, limits);
    if (!path.ok()) return path.status();
    if (archive_entry_hardlink(e) || archive_entry_symlink(e)) {
      return Status::Invalid("the archive has a link, which docs may not contain: " + Quoted(name));
    }
    mode_t type = archive_entry_filetype(e);
    if (type == AE_IFDIR) continue;
    if (type != AE_IFREG) {
      return Status::Invalid("the archive has a device, fifo or other special file: " +
                             Quoted(name));
    }
    if (path->empty() || path->back() == '/') {
      return Status::Invalid("the archive has a file named like a directory: " + Quoted(name));
    }
    if (!seen.insert(*path).second) {
      return Status::Invalid("the archive has the same path twice: " + Quoted(*path));
    }
    if (++files > limits.max_files) {
      return Status::Invalid("the archive has more than " + std::to_string(limits.max_files) +
                             " files");
    }
    data.clear();
    char buf[64 << 10];
    for (;;) {
      la_ssize_t n = archive_read_data(a.get(), buf, sizeof buf);
      if (n < 0) {
        return Status::Invalid("the archive is damaged at " + Quoted(*path) + ": " +
                               (archive_error_string(a.get()) ? archive_error_string(a.get())
                                                              : "unreadable data"));
      }
      if (n == 0) break;
      if (data.size() + static_cast<uint64_t>(n) > limits.max_file) {
        return Status::Invalid("the archive has a file larger than " +
                               std::to_string(limits.max_file >> 20) + " MiB: " + Quoted(*path));
      }
      total += static_cast<uint64_t>(n);
      if (total > limits.max_unpacked) {
        return Status::Invalid("the archive unpacks to more than " +
                               std::to_string(limits.max_unpacked >> 20) + " MiB");
      }
      if (total > limits.ratio_floor && total / limits.max_ratio > bytes.size()) {
        return Status::Invalid("the archive unpacks to more than " +
                               std::to_string(limits.max_ratio) +
                               " times its size, which no rustdoc output does");
      }
      data.append(buf, static_cast<size_t>(n));
    }
    if (IsHiddenDocsFile(*path)) continue;
    RETURN_IF_ERROR(file(*path, data));
  }
  return Status::Ok();
}

Result<DocsTree> CheckDocsArchive(std::string_view archive, std::string_view root_dir,
                                  const DocsLimits& limits) {
  DocsTree tree;
  bool all_under_doc = true;
  bool root_index = false, doc_root_index = false;
  std::string index = std::string(root_dir) + "/index.html";
  RETURN_IF_ERROR(WalkDocsArchive(archive, limits, [&](const std::string& path, std::string_view data) {
    ++tree.files;
    tree.bytes += data.size();
    if (path.rfind("doc/", 0) != 0) all_under_doc = false;
    if (path == index) root_index = true;
    if (path == "doc/" + index) doc_root_index = true;
    return Status::Ok();
  }));
  if (root_index) return tree;
  if (doc_root_index && all_under_doc) {
    tree.prefix = "doc/";
    return tree;
  }
  return Status::Invalid("the archive has no " + index +
                         ": upload the output of `cargo doc` for this crate (the target/doc "
                         "directory, or target/TRIPLE/doc)");
}

Status ForEachDocsFile(std::string_view archive, const DocsTree& tree, const DocsLimits& limits,
                       const DocsFileSink& file) {
  return WalkDocsArchive(archive, limits, [&](const std::string& path, std::string_view data) {
    return file(path.substr(tree.prefix.size()), data);
  });
}

std::string_view DocsContentType(std::string_view path) {
  static constexpr struct {
    std::string_view ext;
    std::string_view type;
  } kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/plain; charset=utf-8"},
  };
  for (const auto& t : kTypes) {
    if (path.size() >= t.ext.size() && path.substr(path.size() - t.ext.size()) == t.ext) {
      return t.type;
    }
  }
  return "application/octet-stream";
}

}  // namespace registry
