// Tests for the health probe's URL parsing and its failures.
#include "http/health_probe.h"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace registry {

// A TCP socket bound to a free loopback port; sets *base to its http:// URL.
static int BindLoopback(std::string* base) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *base = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  return fd;
}

TEST_CASE("health probe: URLs split into origin and path prefix") {
  struct Case {
    const char* url;
    const char* origin;
    const char* prefix;
    const char* host;
  };
  const Case good[] = {
      {"http://127.0.0.1:8000", "http://127.0.0.1:8000", "", "127.0.0.1"},
      {"http://127.0.0.1:8000/", "http://127.0.0.1:8000", "", "127.0.0.1"},
      {"https://crates.example.com", "https://crates.example.com", "", "crates.example.com"},
      {"https://[::1]:8443/registry/", "https://[::1]:8443", "/registry", "::1"},
  };
  for (const Case& c : good) {
    CAPTURE(c.url);
    Result<ProbeUrl> url = ParseProbeUrl(c.url);
    REQUIRE(url.ok());
    CHECK(url->origin == c.origin);
    CHECK(url->prefix == c.prefix);
    CHECK(url->host == c.host);
  }
  for (const char* bad : {"127.0.0.1:8000", "ftp://host", "http://", "http:///x",
                          "http://host/?q=1", "http://user@host", "http://[]:80", "http://:80"}) {
    CAPTURE(bad);
    CHECK(ParseProbeUrl(bad).status().message() ==
          std::string("invalid URL `") + bad +
              "`: expected http://HOST[:PORT] or https://HOST[:PORT]");
  }
}

TEST_CASE("health probe: a port nobody listens on fails with the URL and the reason") {
  // A port that was free a moment ago.
  std::string base;
  close(BindLoopback(&base));
  Status st = ProbeHealth(base, "", std::chrono::seconds(5));
  CHECK(st.message() == base + "/health: cannot connect");
}

TEST_CASE("health probe: a listener that never answers fails at the deadline") {
  std::string base;
  int fd = BindLoopback(&base);
  REQUIRE(listen(fd, 4) == 0);  // accepts connections in the kernel, never reads or answers
  auto start = std::chrono::steady_clock::now();
  Status st = ProbeHealth(base, "", std::chrono::milliseconds(300));
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(st.message() == base + "/health: no answer within 300 ms");
  CHECK(took < std::chrono::seconds(2));
  close(fd);
}

TEST_CASE("health probe: a host name is resolved, and an unknown one is named in the error") {
  std::string base;
  close(BindLoopback(&base));
  std::string port = base.substr(base.rfind(':'));
  Status st = ProbeHealth("http://localhost" + port, "", std::chrono::seconds(5));
  CHECK(st.message() == "http://localhost" + port + "/health: cannot connect");
  st = ProbeHealth("http://no-such-host.invalid" + port, "", std::chrono::seconds(2));
  CHECK(st.message().rfind("http://no-such-host.invalid" + port +
                               "/health: cannot resolve no-such-host.invalid: ",
                           0) == 0);
}

}  // namespace registry
