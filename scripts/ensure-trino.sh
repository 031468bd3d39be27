#!/usr/bin/env bash
# Prints the folder of a Trino server (io.trino:trino-server, the engine of Athena engine v3) for the data-path
# test (npm run test:e2e): the server's tar.gz from Maven Central (about 820 MB), fetched once per machine by Maven
# (`mvn dependency:copy`, the registry's ordinary client) and unpacked into the project cache outside the clone,
# ~/.cache/backup-audit-insights/trino-server-VERSION/. A second line on stdout names the JAVA_HOME to run it
# with: Trino 476 needs Java 24 or newer (the machine's Temurin 25 by default; BACKUP_AUDIT_JAVA_HOME overrides).
# Progress and the install time go to stderr.
set -euo pipefail

version=476
cache_root="${BACKUP_AUDIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backup-audit-insights}"
dir="$cache_root/trino-server-$version"
java_home="${BACKUP_AUDIT_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1; }

major=$(java_major "$java_home" || true)
if [ -z "$major" ] || [ "$major" -lt 24 ]; then
  echo "ensure-trino: Trino $version needs Java 24 or newer; $java_home/bin/java is ${major:-missing}. Set BACKUP_AUDIT_JAVA_HOME to a JDK 24+ (Debian: temurin-25-jdk)" >&2
  exit 1
fi

mkdir -p "$cache_root"
# One installer at a time per machine; the marker is written last, so an interrupted install is redone.
exec 9>"$dir.lock"
flock 9
if [ ! -f "$dir/.complete" ]; then
  if ! command -v mvn >/dev/null 2>&1; then
    echo "ensure-trino: Maven (mvn) is needed to fetch io.trino:trino-server:$version from Maven Central (apt-get install maven)" >&2
    exit 1
  fi
  start=$(date +%s)
  echo "ensure-trino: fetching io.trino:trino-server:$version (tar.gz, about 820 MB) from Maven Central into $dir (once per machine)" >&2
  rm -rf "$dir"
  tmp=$(mktemp -d "$cache_root/.trino-download.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  # A private local repository inside the temporary folder: the archive is not kept twice (~/.m2 and here).
  if ! mvn --batch-mode --quiet -Dmaven.repo.local="$tmp/m2" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="io.trino:trino-server:$version:tar.gz" -DoutputDirectory="$tmp/out" >&2; then
    echo "ensure-trino: mvn could not fetch io.trino:trino-server:$version:tar.gz (output above); it needs Maven Central" >&2
    exit 1
  fi
  mkdir -p "$tmp/unpacked"
  tar -xzf "$tmp/out/trino-server-$version.tar.gz" -C "$tmp/unpacked"
  mv "$tmp/unpacked/trino-server-$version" "$dir"
  touch "$dir/.complete"
  echo "ensure-trino: installed Trino $version in $(($(date +%s) - start)) s" >&2
fi
if [ ! -x "$dir/bin/launcher" ] || [ ! -d "$dir/plugin/hive" ]; then
  echo "ensure-trino: $dir has no bin/launcher or Hive plugin; delete $dir and run again" >&2
  exit 1
fi
echo "ensure-trino: Trino $version in $dir, Java $major in $java_home" >&2
echo "$dir"
echo "$java_home"
