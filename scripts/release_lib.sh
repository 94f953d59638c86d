# Shared by scripts/release.sh and scripts/release_test.sh: architectures, timed steps, the
# packages a cross build needs, and making the tarball and the .deb. Source it from the repo root.

# triple_of ARCH: the GNU triple of a Debian architecture this release builds.
triple_of() {
  case "$1" in
    amd64) echo x86_64-linux-gnu ;;
    arm64) echo aarch64-linux-gnu ;;
    armhf) echo arm-linux-gnueabihf ;;
    *) return 1 ;;
  esac
}

# qemu_of ARCH: the qemu-user emulator that runs ARCH's executables here ("" for the host's).
qemu_of() {
  case "$1" in
    arm64) echo qemu-aarch64-static ;;
    armhf) echo qemu-arm-static ;;
    *) echo "" ;;
  esac
}

# timed DESCRIPTION COMMAND...: runs COMMAND in a subshell with `set -e` (so a failing step in a
# function stops it; `cmd || rc=$?` would switch that off) and prints how long it took: wall
# time, and the CPU time (user + system) of its processes, which on a shared machine says what
# the step costs whatever else runs.
timed() {
  local what=$1 start rc times_file
  shift
  start=$(date +%s.%N)
  times_file=$(mktemp)
  set +e
  # A new subshell counts only its own children: the step's processes, not earlier jobs'.
  (
    (set -e; "$@")
    step_rc=$?
    times >"$times_file"
    exit $step_rc
  )
  rc=$?
  set -e
  awk -v what="$what" -v start="$start" -v end="$(date +%s.%N)" -v rc="$rc" '
    NR == 2 { n = split($0, f, /[ms ]+/); cpu = f[1] * 60 + f[2] + f[3] * 60 + f[4] }
    END { printf "## %s: %.1f s (cpu %.1f s)%s\n", what, end - start, cpu,
                 rc == 0 ? "" : " (FAILED, exit " rc ")" }' "$times_file"
  rm -f "$times_file"
  return $rc
}

# The package's Maintainer (and changelog signer).
DEB_MAINTAINER=${DEB_MAINTAINER:-registry authors <registry@example.org>}

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# The -dev packages the static link needs, as foreign-architecture packages for a cross build
# (the header-only ones, Boost, nlohmann-json, toml++ and doctest, are the host's). liblzma,
# libbz2 and nettle are libarchive's zip reader's (docs uploads).
RELEASE_LIBS=(libsqlite3-dev libssl-dev zlib1g-dev libzstd-dev libarchive-dev libcmark-gfm-dev
  libcmark-gfm-extensions-dev libnghttp2-dev libc-ares-dev liblzma-dev libbz2-dev nettle-dev)

# install_release_packages ARCH...: cross toolchains and foreign -dev packages for each
# non-host ARCH, qemu-user-static to run their tests, and dpkg-dev, lintian for packaging.
install_release_packages() {
  local wanted=(dpkg-dev lintian bc fakeroot) arch added=0
  for arch in "$@"; do
    [ "$arch" = amd64 ] && continue
    if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
      $SUDO dpkg --add-architecture "$arch"
      added=1
    fi
    wanted+=("crossbuild-essential-$arch" qemu-user-static)
    local p
    for p in "${RELEASE_LIBS[@]}"; do wanted+=("$p:$arch"); done
  done
  local missing=() p
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || [ $added = 1 ] || return 0
  $SUDO apt-get update -qq
  [ ${#missing[@]} -gt 0 ] || return 0
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# deb_unit: the Debian package's unit, made from docs/systemd/registry.service (one source for the
# hardening): the packaged binary, the static `registry` user instead of a dynamic one (its files
# outlive a removal), /var/lib/registry at 0750, and the options from /etc/default/registry.
deb_unit() {
  local unit
  unit=$(sed -e 's|/usr/local/bin/registry|/usr/bin/registry|' \
      -e 's|--listen 0.0.0.0:8000 --access-log json|$REGISTRY_OPTS|' \
      -e 's|^DynamicUser=yes$|User=registry\nGroup=registry|' \
      -e 's|^StateDirectoryMode=0700$|StateDirectoryMode=0750|' \
      -e 's|^Documentation=.*|Documentation=man:registry(1) file:///usr/share/doc/registry/OPERATIONS.md.gz|' \
      -e 's|^\(ExecStart=.*\)|EnvironmentFile=-/etc/default/registry\n\1|' \
      -e '/^# An example systemd unit/,/^# prints the admin token/d' \
      -e 's|^# Identity and state: a user allocated at start;|# Identity and state: the package'"'"'s system user;|' \
      docs/systemd/registry.service)
  # Every edit must have applied: a reworded source unit fails the build, not the package.
  local want
  for want in 'ExecStart=/usr/bin/registry serve --data /var/lib/registry $REGISTRY_OPTS' \
      'User=registry' 'StateDirectoryMode=0750' 'EnvironmentFile=-/etc/default/registry'; do
    grep -qxF "$want" <<<"$unit" || { echo "deb_unit: no [$want] in the unit" >&2; return 1; }
  done
  if grep -q 'DynamicUser\|/usr/local' <<<"$unit"; then
    echo "deb_unit: DynamicUser or /usr/local left in the unit" >&2
    return 1
  fi
  echo "# The registry's systemd unit, from the Debian package; options: /etc/default/registry."
  echo "# The first start prints the admin token and password once: journalctl -u registry"
  echo "$unit"
}

# package_arch ARCH VERSION BINARY: dist/registry-VERSION-linux-ARCH.tar.gz and
# dist/registry_VERSION_ARCH.deb, the .deb checked by lintian (no errors, no warnings).
package_arch() {
  local arch=$1 version=$2 bin=$3 triple strip
  triple=$(triple_of "$arch")
  strip=strip
  [ "$arch" = amd64 ] || strip=$triple-strip
  local stage
  stage=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$stage'" RETURN

  # The tarball: the binary and what is needed to run it as a service.
  local name=registry-$version-linux-$arch
  mkdir -p "$stage/$name"
  install -m 0755 "$bin" "$stage/$name/registry"
  # .comment holds only compiler version strings.
  $strip -R .comment "$stage/$name/registry"
  install -m 0644 README.md LICENSE docs/systemd/registry.service "$stage/$name/"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@${SOURCE_DATE_EPOCH:-0}" \
    -C "$stage" -czf "dist/$name.tar.gz" "$name"

  # The .deb, laid out by hand (dpkg-deb; no debhelper).
  local root=$stage/deb doc=$stage/deb/usr/share/doc/registry
  mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/default" \
    "$doc" "$root/usr/share/man/man1" "$root/usr/share/lintian/overrides"
  install -m 0755 "$stage/$name/registry" "$root/usr/bin/registry"
  deb_unit >"$root/lib/systemd/system/registry.service"
  chmod 0644 "$root/lib/systemd/system/registry.service"
  install -m 0644 packaging/deb/default "$root/etc/default/registry"
  install -m 0644 packaging/deb/copyright "$doc/copyright"
  gzip -9n <README.md >"$doc/README.md.gz"
  gzip -9n <docs/OPERATIONS.md >"$doc/OPERATIONS.md.gz"
  printf 'registry (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- %s  %s\n' \
    "$version" "$version" "$DEB_MAINTAINER" "$(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}")" \
    | gzip -9n >"$doc/changelog.gz"
  gzip -9n <packaging/deb/registry.1 >"$root/usr/share/man/man1/registry.1.gz"
  install -m 0644 packaging/deb/lintian-overrides "$root/usr/share/lintian/overrides/registry"
  local s
  for s in postinst prerm postrm; do install -m 0755 "packaging/deb/$s" "$root/DEBIAN/$s"; done
  echo /etc/default/registry >"$root/DEBIAN/conffiles"
  (cd "$root" && find . -type f ! -path './DEBIAN/*' ! -path './etc/*' -printf '%P\0' | sort -z \
    | xargs -0 md5sum >DEBIAN/md5sums)
  cat >"$root/DEBIAN/control" <<EOF
Package: registry
Version: $version
Architecture: $arch
Maintainer: ${DEB_MAINTAINER}
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: adduser
Section: devel
Priority: optional
Description: private Cargo registry in one static executable
 A private registry for Rust's cargo: publish, build, yank, search and
 manage owners with stock cargo. It bundles the HTTP server, SQLite
 metadata, a content-addressed blob store, a read-through cache of
 crates.io and a web UI, and runs as the registry user on
 /var/lib/registry (systemctl enable --now registry).
EOF
  local deb=dist/registry_${version}_$arch.deb
  fakeroot dpkg-deb --build -Zxz "$root" "$deb" >/dev/null
  # No error and no warning; info-level tags are printed, not fatal.
  lintian --fail-on error,warning --tag-display-limit 0 "$deb"
  echo "dist/$name.tar.gz dist/registry_${version}_$arch.deb"
}
