#!/usr/bin/env bash
# Local image localhost/s3proxy:<VERSION> (default 2.6.0), an S3-compatible server for the tests of
# gateway.storage.type=s3: s3proxy's jar-with-dependencies from Maven Central on the local Temurin 25 JRE
# stand-in (../shared/tools/containers/image-temurin.sh), a filesystem backend in /data, AWS v4 signatures
# with the fixed test credentials below, port 80. No registry needed.   image-s3proxy.sh [VERSION]
set -euo pipefail
V=${1:-2.6.0}
NAME=localhost/s3proxy:$V
BASE=docker.io/library/eclipse-temurin:25-jre
podman image exists "$NAME" && { echo "$NAME exists" >&2; exit 0; }
podman image exists "$BASE" || { echo "no $BASE: run image-temurin.sh first" >&2; exit 1; }
mvn -B -q dependency:get -Dartifact="org.gaul:s3proxy:$V:jar:jar-with-dependencies" >/dev/null
JAR=~/.m2/repository/org/gaul/s3proxy/$V/s3proxy-$V-jar-with-dependencies.jar
W=$(mktemp -d /tmp/image-s3proxy.XXXXXX); trap 'rm -rf "$W"' EXIT
cp "$JAR" "$W/s3proxy.jar"
cat > "$W/s3proxy.conf" <<'CONF'
s3proxy.endpoint=http://0.0.0.0:80
s3proxy.authorization=aws-v4
s3proxy.identity=test-access-key
s3proxy.credential=test-secret-key
jclouds.provider=filesystem
jclouds.filesystem.basedir=/data
CONF
c=$(buildah from "$BASE")
buildah copy "$c" "$W/s3proxy.jar" /opt/s3proxy/s3proxy.jar >/dev/null
buildah copy "$c" "$W/s3proxy.conf" /opt/s3proxy/s3proxy.conf >/dev/null
buildah run "$c" -- mkdir -p /data >/dev/null
buildah config --entrypoint '["java","-jar","/opt/s3proxy/s3proxy.jar","--properties","/opt/s3proxy/s3proxy.conf"]' \
  --cmd '[]' --port 80/tcp "$c"
buildah commit -q "$c" "$NAME" >/dev/null
buildah rm "$c" >/dev/null
echo "built $NAME" >&2
