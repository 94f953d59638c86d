# The stand-in crates.io, shared by tests/e2e/mirror_test.sh and bench/run.sh's p7: a sparse
# index and .crate files packaged with stock cargo from the crate sources Debian ships in
# /usr/share/cargo/registry, under $UP (index/ and crates/), served by nginx with ETags.
# Source it after setting UP and STAND_IN_WORK (a scratch directory); needs cargo, python3.
STAND_IN="python3 $(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/stand_in_index.py"
DEBIAN_CRATES=/usr/share/cargo/registry
mkdir -p "$UP/index" "$UP/crates" "$STAND_IN_WORK/pkg"

# Packaging resolves dependencies; Debian's crate directory is a valid directory source.
PKG_HOME="$STAND_IN_WORK/pkg-home"
mkdir -p "$PKG_HOME"
printf '[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "%s"\n[net]\noffline = true\n' \
  "$DEBIAN_CRATES" >"$PKG_HOME/config.toml"

# stand_in_config DL_BASE: upstream's config.json, downloads from DL_BASE/crates/.
stand_in_config() {
  printf '{"dl":"%s/crates/{crate}/{crate}-{version}.crate","api":"%s"}\n' "$1" "$1" \
    >"$UP/index/config.json"
}

# publish_upstream SRC_DIR: packages the crate in SRC_DIR with stock cargo and adds it to the
# stand-in: the .crate under crates/, its line appended to its index file.
publish_upstream() {
  local dir=$1
  rm -rf "$dir/target/package"
  (cd "$dir" && CARGO_HOME="$PKG_HOME" CARGO_TARGET_DIR="$dir/target" \
     timeout 60 cargo package --quiet --no-verify --allow-dirty) || { echo "cargo package failed in $dir"; exit 1; }
  local crate_file name vers
  crate_file=$(ls "$dir"/target/package/*.crate | head -1)
  name=$(basename "$crate_file" .crate); vers=${name##*-}; name=${name%-*}
  mkdir -p "$UP/crates/$name"
  cp "$crate_file" "$UP/crates/$name/$name-$vers.crate"
  local path
  path=$($STAND_IN path "$name")
  mkdir -p "$UP/index/$(dirname "$path")"
  $STAND_IN line "$dir/Cargo.toml" "$crate_file" >>"$UP/index/$path"
}

# debian_crate NAME-VERS [DEST]: a copy of Debian's sources (as they came from crates.io,
# minus the vendoring checksum file, the dev-dependencies and the optional dependencies
# Debian does not ship).
debian_crate() {
  local dest=${2:-$STAND_IN_WORK/pkg/$1}
  cp -r "$DEBIAN_CRATES/$1" "$dest"
  rm -f "$dest/.cargo-checksum.json"
  $STAND_IN strip-dev "$dest/Cargo.toml" no-panic
}

# stand_in_nginx DIR PORT: writes DIR/nginx.conf serving $UP on 127.0.0.1:PORT with ETags,
# logging every request to DIR/logs/access.log.
stand_in_nginx() {
  local user=""
  [ "$(id -u)" = 0 ] && user="user root root;"
  mkdir -p "$1/logs"
  cat >"$1/nginx.conf" <<NGINX_CONF
$user
worker_processes 1;
pid $1/nginx.pid;
error_log $1/logs/error.log;
events { worker_connections 256; }
http {
  access_log $1/logs/access.log;
  client_body_temp_path $1/body;
  proxy_temp_path $1/proxy;
  fastcgi_temp_path $1/fastcgi;
  uwsgi_temp_path $1/uwsgi;
  scgi_temp_path $1/scgi;
  default_type text/plain;
  etag on;
  server {
    listen 127.0.0.1:$2;
    root $UP;
  }
}
NGINX_CONF
}
