#!/usr/bin/env bash
# Prints the path of an `opa` binary at the version this project pins (on PATH, in the project cache, or built
# there with Go: scripts/lib/go-tool.sh), or stops and lists the ways to install OPA.
# stdout carries only the path, so callers can do `opa=$(scripts/ensure-opa.sh)`.
set -euo pipefail
# shellcheck source=lib/go-tool.sh
. "$(dirname "$0")/lib/go-tool.sh"

version="1.22.3"
ensure_go_tool opa "$version" github.com/open-policy-agent/opa github.com/open-policy-agent/opa && exit 0

cat >&2 <<MSG
ensure-opa: OPA v$version is needed and could not be found or built.
Install it in one of these ways, then run the command again:
  - Go toolchain:    GOBIN=$go_tool_cache_root/opa-v$version go install github.com/open-policy-agent/opa@v$version
  - release binary:  https://github.com/open-policy-agent/opa/releases/tag/v$version (opa_<os>_<arch>), on PATH
  - package manager: brew install opa (check that 'opa version' says $version)
  - GitHub Actions:  uses: open-policy-agent/setup-opa@v2 with version: $version
MSG
exit 1
