#!/usr/bin/env bash
# Local stand-in for the compose file's Prometheus image (docker.io/prom/prometheus:v3.5.0) from
# Debian's prometheus binary (2.42; it reads the compose file's scrape config alike), built the way
# ../shared/tools/containers/image-redis.sh builds Redis, since no registry is reachable here.
# The web UI's assets are not included; the API and /-/ready are.
#   image-prometheus.sh [NAME]
set -euo pipefail
NAME=${1:-docker.io/prom/prometheus:v3.5.0}
podman image exists "$NAME" && { echo "$NAME exists" >&2; exit 0; }
W=$(mktemp -d /tmp/image-prometheus.XXXXXX); trap 'rm -rf "$W"' EXIT
chmod 755 "$W"
mkdir -p "$W/debs" "$W/x"; chmod 777 "$W/debs"   # apt-get download runs as _apt
(cd "$W/debs" && apt-get download prometheus busybox-static >/dev/null)
for d in "$W"/debs/*.deb; do dpkg -x "$d" "$W/x"; done
R=$W/rootfs X=$W/x
mkdir -p "$R"/{bin,lib64,lib/x86_64-linux-gnu,etc/prometheus,prometheus,tmp}; chmod 1777 "$R/tmp"
cp "$X/usr/bin/prometheus" "$X/usr/bin/promtool" "$R/bin/"
cp "$X/bin/busybox" "$R/bin/"
for a in sh wget; do ln -s busybox "$R/bin/$a"; done
ldd "$R/bin/prometheus" | awk '/=>/ {print $3} /ld-linux/ {print $1}' | sort -u | while read -r lib; do
  case "$lib" in /lib64/*) cp -L "$lib" "$R/lib64/" ;; *) cp -L "$lib" "$R/lib/x86_64-linux-gnu/" ;; esac
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$R/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' > "$R/etc/group"
chmod 777 "$R/prometheus"
c=$(buildah from scratch)
buildah copy "$c" "$R/" / >/dev/null
# the same entrypoint and arguments as the official image
buildah config --entrypoint '["/bin/prometheus"]' \
  --cmd '["--config.file=/etc/prometheus/prometheus.yml","--storage.tsdb.path=/prometheus"]' \
  --port 9090/tcp --workingdir /prometheus --user 65534 --env PATH=/bin "$c"
buildah commit -q "$c" "$NAME" >/dev/null
buildah rm "$c" >/dev/null
echo "built $NAME" >&2
