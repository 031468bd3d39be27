#!/usr/bin/env bash
# Prints the path of an `opa` binary at the version this project pins, installing it first if needed:
#   1. `opa` on PATH, when its version matches;
#   2. the project's cache outside the clone (reused by every clone on this machine);
#   3. `go install github.com/open-policy-agent/opa@<version>` into that cache (needs Go and its module proxy).
# Otherwise it stops and lists the ways to install OPA. It downloads nothing but OPA's Go module.
# Progress goes to stderr; stdout carries only the path, so callers can do `opa=$(scripts/ensure-opa.sh)`.
set -euo pipefail

version="1.22.3"
cache_root="${BACKUP_AUDIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backup-audit-insights}"
cache_dir="$cache_root/opa-v$version"

version_of() { "$1" version 2>/dev/null | sed -n 's/^Version: *//p' | head -n 1; }

if on_path=$(command -v opa 2>/dev/null) && [ "$(version_of "$on_path")" = "$version" ]; then
  echo "$on_path"
  exit 0
fi

if [ -x "$cache_dir/opa" ] && [ "$(version_of "$cache_dir/opa")" = "$version" ]; then
  echo "$cache_dir/opa"
  exit 0
fi

if command -v go >/dev/null 2>&1; then
  echo "ensure-opa: building OPA v$version with go install into $cache_dir (a few minutes, once per machine)" >&2
  mkdir -p "$cache_dir"
  # A build into a temporary folder, moved into place at the end: an interrupted build leaves no broken binary.
  tmp=$(mktemp -d "$cache_root/.opa-build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  start=$(date +%s)
  if GOBIN="$tmp" GOFLAGS="${GOFLAGS:-} -trimpath" go install "github.com/open-policy-agent/opa@v$version" >&2; then
    mv -f "$tmp/opa" "$cache_dir/opa"
    echo "ensure-opa: built $("$cache_dir/opa" version | head -n 1) in $(( $(date +%s) - start )) s" >&2
    echo "$cache_dir/opa"
    exit 0
  fi
  echo "ensure-opa: go install github.com/open-policy-agent/opa@v$version failed (output above)" >&2
fi

found=""
[ -n "${on_path:-}" ] && found=" (found $on_path at version $(version_of "$on_path"); this project pins $version)"
cat >&2 <<MSG
ensure-opa: OPA v$version is needed and could not be found or built$found.
Install it in one of these ways, then run the command again:
  - Go toolchain:    GOBIN=$cache_dir go install github.com/open-policy-agent/opa@v$version
  - release binary:  https://github.com/open-policy-agent/opa/releases/tag/v$version (opa_<os>_<arch>), on PATH
  - package manager: brew install opa (check that 'opa version' says $version)
  - GitHub Actions:  uses: open-policy-agent/setup-opa@v2 with version: $version
MSG
exit 1
