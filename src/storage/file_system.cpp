// POSIX implementation of FileSystem: temp file, fsync, rename, directory fsync.
#include "storage/file_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/crypto.h"

namespace registry {

static Status ErrnoStatus(const std::string& what, int err) {
  std::string msg = what + ": " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) {
    return Status::NoSpace("the registry's disk is full (" + msg + ")");
  }
  if (err == ENOENT) return Status::NotFound(msg);
  return Status::Io(msg);
}

static std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

static Status FsyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("opening directory " + dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return ErrnoStatus("syncing directory " + dir, err);
  return Status::Ok();
}

static Status WriteAll(int fd, const std::string& name, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("writing " + name, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// Writes `data` to a new temp file in `tmp_dir` (fsynced when `sync`) and renames it to
// `path`; on failure the temp file is removed. The writer's PID in the name lets start-up
// tell a crashed writer's leftovers from the files of another live process serving the same
// directory.
static Status WriteViaTemp(const std::string& tmp_dir, const std::string& path,
                           std::string_view data, bool sync) {
  std::string tmp =
      tmp_dir + "/" + std::to_string(::getpid()) + "-" + HexEncode(RandomBytes(8)) + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("creating " + tmp, errno);
  Status st = WriteAll(fd, tmp, data);
  if (sync && st.ok() && ::fsync(fd) != 0) st = ErrnoStatus("syncing " + tmp, errno);
  if (::close(fd) != 0 && st.ok()) st = ErrnoStatus("closing " + tmp, errno);
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    st = ErrnoStatus("renaming " + tmp + " to " + path, errno);
  }
  if (!st.ok()) ::unlink(tmp.c_str());
  return st;
}

namespace {

class PosixFileSystem : public FileSystem {
 public:
  Status WriteDurably(const std::string& tmp_dir, const std::string& path,
                      std::string_view data) override {
    RETURN_IF_ERROR(WriteViaTemp(tmp_dir, path, data, /*sync=*/true));
    return FsyncDirectory(Dirname(path));
  }

  Status WriteUnsynced(const std::string& tmp_dir, const std::string& path,
                       std::string_view data) override {
    return WriteViaTemp(tmp_dir, path, data, /*sync=*/false);
  }

  Status SyncFileSystem(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("opening " + path, errno);
    Status st = ::syncfs(fd) == 0 ? Status::Ok()
                                  : ErrnoStatus("syncing the file system of " + path, errno);
    ::close(fd);
    return st;
  }

  Result<std::string> ReadFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("opening " + path, errno);
    std::string out;
    struct stat sb;
    if (::fstat(fd, &sb) == 0 && sb.st_size > 0) out.reserve(static_cast<size_t>(sb.st_size));
    char buf[1 << 16];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        int err = errno;
        ::close(fd);
        return ErrnoStatus("reading " + path, err);
      }
      if (n == 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return out;
  }

  bool Exists(const std::string& path) override { return ::access(path.c_str(), F_OK) == 0; }

  Status Remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus("removing " + path, errno);
    return Status::Ok();
  }

  Status CreateDirectories(const std::string& path) override {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return ErrnoStatus("creating directory " + path, ec.value());
    return Status::Ok();
  }

};

}  // namespace

FileSystem* RealFileSystem() {
  static PosixFileSystem fs;
  return &fs;
}

}  // namespace registry
