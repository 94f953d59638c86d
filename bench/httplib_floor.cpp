// The floor of what cpp-httplib can serve on this machine, for bench/run.sh's `floor` part:
// the registry's own build of httplib (same compile options) answering from memory, with no
// token check, database, access log or metrics. Index files are served as the registry serves
// them (stored gzip bytes, one string body); the download is streamed from its file in 64 KiB
// reads, as the registry streams blobs. The gap between this and nginx is httplib's; the gap
// between the registry and this is the registry's own.
//
//   httplib_floor WWW_DIR   (the directory bench/run.sh exports for nginx)
//
// Listens on 127.0.0.1 on a free port and prints "port N" on stdout once bound.
#include <httplib.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

static std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: httplib_floor WWW_DIR\n");
    return 2;
  }
  const std::filesystem::path www = argv[1];
  // "/index/se/rd/serde" -> its gzip bytes, as the registry keeps them.
  std::map<std::string, std::string> gzip;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(www / "index")) {
    const std::filesystem::path& p = entry.path();
    if (!entry.is_regular_file() || p.extension() != ".gz") continue;
    std::string rel = std::filesystem::relative(p, www).replace_extension("").string();
    gzip["/" + rel] = ReadFile(p);
  }

  httplib::Server server;
  // Enough threads for every benchmark connection: httplib's default pool of 8 would leave
  // the other connections waiting.
  server.new_task_queue = [] { return new httplib::ThreadPool(72); };
  server.set_keep_alive_max_count(1000);
  server.set_keep_alive_timeout(5);
  server.Get("/index/.*", [&gzip](const httplib::Request& req, httplib::Response& res) {
    auto it = gzip.find(req.path);
    if (it == gzip.end()) {
      res.status = 404;
      return;
    }
    res.set_header("Content-Encoding", "gzip");
    res.set_header("Vary", "Accept-Encoding");
    res.set_content(it->second, "text/plain; charset=utf-8");
  });
  server.Get("/api/v1/crates/.*", [&www](const httplib::Request& req, httplib::Response& res) {
    std::filesystem::path path = www / req.path.substr(1);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      res.status = 404;
      return;
    }
    size_t size = static_cast<size_t>(::lseek(fd, 0, SEEK_END));
    res.set_content_provider(
        size, "application/octet-stream",
        [fd](size_t offset, size_t length, httplib::DataSink& sink) {
          char buf[64 << 10];
          ssize_t n = ::pread(fd, buf, std::min(length, sizeof buf), static_cast<off_t>(offset));
          return n > 0 && sink.write(buf, static_cast<size_t>(n));
        },
        [fd](bool) { ::close(fd); });
  });
  int port = server.bind_to_any_port("127.0.0.1");
  if (port < 0) {
    std::fprintf(stderr, "httplib_floor: cannot listen on 127.0.0.1\n");
    return 1;
  }
  std::printf("port %d\n", port);
  std::fflush(stdout);
  return server.listen_after_bind() ? 0 : 1;
}
