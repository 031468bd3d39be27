#!/usr/bin/env bash
# Prints the path of the Regal linter at the version this project pins, building it with Go into the project's
# cache outside the clone when needed (like scripts/ensure-opa.sh). Progress on stderr, the path on stdout.
set -euo pipefail

version="0.42.0"
cache_root="${BACKUP_AUDIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backup-audit-insights}"
cache_dir="$cache_root/regal-v$version"

version_of() { "$1" version 2>/dev/null | sed -n 's/^Version: *v\{0,1\}//p' | head -n 1; }

if on_path=$(command -v regal 2>/dev/null) && [ "$(version_of "$on_path")" = "$version" ]; then
  echo "$on_path"
  exit 0
fi
if [ -x "$cache_dir/regal" ]; then
  echo "$cache_dir/regal"
  exit 0
fi

if command -v go >/dev/null 2>&1; then
  echo "ensure-regal: building Regal v$version with Go into $cache_dir (a few minutes, once per machine)" >&2
  mkdir -p "$cache_dir"
  tmp=$(mktemp -d "$cache_root/.regal-build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  # A throwaway module rather than `go install pkg@version`: the latter also asks the proxy for the module's
  # version list (for deprecation notices), which some proxies refuse while serving the version itself.
  (
    cd "$tmp"
    go mod init regal-build >/dev/null 2>&1
    go get "github.com/open-policy-agent/regal@v$version" >&2
    go build -trimpath -o "$tmp/regal" github.com/open-policy-agent/regal >&2
  ) || { echo "ensure-regal: building Regal v$version failed (output above)" >&2; exit 1; }
  mv -f "$tmp/regal" "$cache_dir/regal"
  echo "$cache_dir/regal"
  exit 0
fi

cat >&2 <<MSG
ensure-regal: Regal v$version is needed and could not be found or built (no Go toolchain).
Install it with Go (go install github.com/open-policy-agent/regal@v$version), from its release binaries
(https://github.com/open-policy-agent/regal/releases/tag/v$version), or in GitHub Actions with
open-policy-agent/setup-regal, then run the command again.
MSG
exit 1
