#!/bin/sh
# Starts the Reelhouse front (Debian's nginx, in the foreground) in front of a running app.
#   PROXY_PORT  (8080)                   port of the front
#   PROXY_HOST  (127.0.0.1)              address to listen on (0.0.0.0 to expose it)
#   UPSTREAM    (http://127.0.0.1:3000)  the app (npm start / npm run web)
#   DATA_DIR    (./.data)                the app's DATA_DIR: nginx reads DATA_DIR/content
#   NGINX_RUN_DIR (DATA_DIR/nginx)       pid, temp files, cache, rendered config, access log
#   ACCESS_LOG  (NGINX_RUN_DIR/access.log, or "off")
#   NGINX_WORKERS (auto)                 worker processes (auto: one per core)
#   TLS_CERT, TLS_KEY, TLS_PORT (8443)   also serve HTTPS with this certificate chain and key
# Ctrl-C (SIGINT) or SIGTERM stops nginx at once; SIGQUIT lets open responses finish first.
set -eu

fail() {
  echo "reelhouse front: $*" >&2
  exit 1
}

here=$(cd "$(dirname "$0")" && pwd)
PROXY_PORT=${PROXY_PORT:-8080}
PROXY_HOST=${PROXY_HOST:-127.0.0.1}
UPSTREAM=${UPSTREAM:-http://127.0.0.1:3000}
TLS_PORT=${TLS_PORT:-8443}
TLS_CERT=${TLS_CERT:-}
TLS_KEY=${TLS_KEY:-}
NGINX_WORKERS=${NGINX_WORKERS:-auto}

case $PROXY_PORT in '' | *[!0-9]*) fail "PROXY_PORT must be a port number, not '$PROXY_PORT'" ;; esac
case $TLS_PORT in '' | *[!0-9]*) fail "TLS_PORT must be a port number, not '$TLS_PORT'" ;; esac
case $NGINX_WORKERS in auto | [1-9] | [1-9][0-9]) ;; *) fail "NGINX_WORKERS must be auto or a number, not '$NGINX_WORKERS'" ;; esac
upstream_addr=${UPSTREAM#http://}
upstream_addr=${upstream_addr%/}
case $upstream_addr in
  */* | *[!A-Za-z0-9.:_\[\]-]*) fail "UPSTREAM must look like http://host:port, not '$UPSTREAM'" ;;
  *:[0-9]*) ;;
  *) fail "UPSTREAM must look like http://host:port, not '$UPSTREAM'" ;;
esac
[ -d "${DATA_DIR:-.data}" ] || fail "DATA_DIR ${DATA_DIR:-.data} does not exist (start the app first, with the same DATA_DIR)"
data_dir=$(cd "${DATA_DIR:-.data}" && pwd)
run_dir=${NGINX_RUN_DIR:-$data_dir/nginx}
mkdir -p "$run_dir/tmp" "$run_dir/cache" || fail "cannot create $run_dir (set NGINX_RUN_DIR to a directory you can write)"
run_dir=$(cd "$run_dir" && pwd)
access_log=${ACCESS_LOG:-$run_dir/access.log}

# Debian installs nginx in /usr/sbin, which a normal user's PATH may lack.
nginx=$(command -v nginx || true)
[ -n "$nginx" ] || { [ -x /usr/sbin/nginx ] && nginx=/usr/sbin/nginx; } || fail "nginx is required (Debian/Ubuntu: apt-get install nginx-light)"

if [ -f "$run_dir/nginx.pid" ] && kill -0 "$(cat "$run_dir/nginx.pid")" 2>/dev/null; then
  fail "a front already runs with $run_dir (pid $(cat "$run_dir/nginx.pid"))"
fi
# Left behind only by a front that was killed outright; nginx cannot bind while it exists.
rm -f "$run_dir/media-auth.sock"

# As root the workers take the identity of DATA_DIR's owner, the user the app runs as: they read
# exactly what the app can read. A normal user's nginx runs as that user and needs no directive.
user_line=''
if [ "$(id -u)" = 0 ]; then
  user_line="user $(stat -c %U "$data_dir") $(stat -c %G "$data_dir");"
  chown "$(stat -c %U:%G "$data_dir")" "$run_dir" "$run_dir/tmp" "$run_dir/cache"
fi

# Values go into sed replacements: escape the characters sed treats specially there.
esc() { printf '%s' "$1" | sed 's/[\\&|]/\\&/g'; }
tls_filter='/# tls-begin/,/# tls-end/d'
if [ -n "$TLS_CERT" ] || [ -n "$TLS_KEY" ]; then
  [ -r "$TLS_CERT" ] && [ -r "$TLS_KEY" ] || fail "TLS_CERT and TLS_KEY must both name readable files"
  tls_filter='/# tls-\(begin\|end\)/d'
fi
conf=$run_dir/nginx.conf
sed -e "$tls_filter" \
  -e "s|{{RUN_DIR}}|$(esc "$run_dir")|g" \
  -e "s|{{DATA_DIR}}|$(esc "$data_dir")|g" \
  -e "s|{{PROXY_HOST}}|$(esc "$PROXY_HOST")|g" \
  -e "s|{{PROXY_PORT}}|$PROXY_PORT|g" \
  -e "s|{{TLS_PORT}}|$TLS_PORT|g" \
  -e "s|{{WORKERS}}|$NGINX_WORKERS|g" \
  -e "s|{{TLS_CERT}}|$(esc "$TLS_CERT")|g" \
  -e "s|{{TLS_KEY}}|$(esc "$TLS_KEY")|g" \
  -e "s|{{UPSTREAM_ADDR}}|$(esc "$upstream_addr")|g" \
  -e "s|{{ACCESS_LOG}}|$(esc "$access_log")|g" \
  -e "s|{{USER_LINE}}|$(esc "$user_line")|g" \
  "$here/reelhouse.conf" >"$conf"

"$nginx" -t -q -p "$run_dir" -e stderr -c "$conf" || fail "the rendered configuration $conf does not load"
tls_note=''
[ -n "$TLS_CERT" ] && tls_note=" and https://$PROXY_HOST:$TLS_PORT"
echo "reelhouse front: http://$PROXY_HOST:$PROXY_PORT$tls_note -> $UPSTREAM, media from $data_dir/content"
# exec: nginx itself receives SIGINT/SIGTERM (fast shutdown) and removes its pid file and socket.
exec "$nginx" -p "$run_dir" -e stderr -c "$conf"
