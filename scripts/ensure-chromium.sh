#!/usr/bin/env bash
# Prints the path of a headless-capable Chromium for the report's browser test, installing Debian's package
# if needed (`apt-get update` then `apt-get install chromium`; needs root, as on the build machines and CI).
# playwright-core drives it over CDP: Playwright's own browser download is never used.
#
# Debian's security archive replaces chromium with each upstream fix and drops the previous build, so the
# exact package version cannot be pinned; the script refuses a build older than the major version the pinned
# playwright-core was tested with instead.
# Progress goes to stderr; stdout carries only the path, so callers can do `chromium=$(scripts/ensure-chromium.sh)`.
set -euo pipefail

min_major=140
binary="${BACKUP_AUDIT_CHROMIUM:-/usr/bin/chromium}"

major_of() { "$1" --version 2>/dev/null | sed -n 's/^Chromium \([0-9]*\)\..*/\1/p' | head -n 1; }

check() {
  local major
  major=$(major_of "$binary")
  if [ -z "$major" ]; then
    echo "ensure-chromium: $binary does not report a Chromium version ($("$binary" --version 2>&1 | head -n 1))" >&2
    exit 1
  fi
  if [ "$major" -lt "$min_major" ]; then
    echo "ensure-chromium: $binary is Chromium $major; the browser test needs $min_major or newer (apt-get install --only-upgrade chromium)" >&2
    exit 1
  fi
  echo "ensure-chromium: $("$binary" --version 2>/dev/null | head -n 1)" >&2
  echo "$binary"
}

if [ -x "$binary" ]; then
  check
  exit 0
fi

if [ -n "${BACKUP_AUDIT_CHROMIUM:-}" ]; then
  echo "ensure-chromium: BACKUP_AUDIT_CHROMIUM=$binary is not an executable file" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != "0" ]; then
  cat >&2 <<MSG
ensure-chromium: no Chromium at $binary, and this is not a Debian machine where the script runs as root.
Install Chromium (Debian/Ubuntu: sudo apt-get install chromium), or point BACKUP_AUDIT_CHROMIUM at a
Chromium or Chrome binary (version $min_major or newer), then run the command again.
MSG
  exit 1
fi

echo "ensure-chromium: installing Debian's chromium package (apt-get update + install, a minute or two)" >&2
start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
echo "ensure-chromium: installed in $(( $(date +%s) - start )) s" >&2
check
