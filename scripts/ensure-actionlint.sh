#!/usr/bin/env bash
# Prints the path of actionlint (GitHub Actions workflow linter) at the version this project pins, building it
# with Go into the project's cache outside the clone when needed (like scripts/ensure-regal.sh). Progress on
# stderr, the path on stdout: `actionlint=$(scripts/ensure-actionlint.sh)`.
set -euo pipefail

version="1.7.12"
cache_root="${BACKUP_AUDIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backup-audit-insights}"
cache_dir="$cache_root/actionlint-$version"

version_of() { "$1" -version 2>/dev/null | head -n 1 | sed 's/^v//'; }

if on_path=$(command -v actionlint 2>/dev/null) && [ "$(version_of "$on_path")" = "$version" ]; then
  echo "$on_path"
  exit 0
fi
if [ -x "$cache_dir/actionlint" ]; then
  echo "$cache_dir/actionlint"
  exit 0
fi

if command -v go >/dev/null 2>&1; then
  echo "ensure-actionlint: building actionlint v$version with Go into $cache_dir (about a minute, once per machine)" >&2
  mkdir -p "$cache_dir"
  tmp=$(mktemp -d "$cache_root/.actionlint-build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  # A throwaway module rather than `go install pkg@version`, as in scripts/ensure-regal.sh: the latter also asks
  # the proxy for the version list, which some proxies refuse. -ldflags sets the version `-version` prints.
  (
    cd "$tmp"
    go mod init actionlint-build >/dev/null 2>&1
    go get "github.com/rhysd/actionlint@v$version" >&2
    go build -trimpath -ldflags "-X github.com/rhysd/actionlint.version=v$version" -o "$tmp/actionlint" \
      github.com/rhysd/actionlint/cmd/actionlint >&2
  ) || { echo "ensure-actionlint: building actionlint v$version failed (output above)" >&2; exit 1; }
  mv -f "$tmp/actionlint" "$cache_dir/actionlint"
  echo "$cache_dir/actionlint"
  exit 0
fi

cat >&2 <<MSG
ensure-actionlint: actionlint v$version is needed and could not be found or built (no Go toolchain).
Install it with Go (go install github.com/rhysd/actionlint/cmd/actionlint@v$version) or from its release
binaries (https://github.com/rhysd/actionlint/releases/tag/v$version), then run the command again.
MSG
exit 1
