#!/usr/bin/env bash
# Prints the path of the Regal linter at the version this project pins (on PATH, in the project cache, or built
# there with Go: scripts/lib/go-tool.sh), or stops and lists the ways to install it.
set -euo pipefail
# shellcheck source=lib/go-tool.sh
. "$(dirname "$0")/lib/go-tool.sh"

version="0.42.0"
ensure_go_tool regal "$version" github.com/open-policy-agent/regal github.com/open-policy-agent/regal && exit 0

cat >&2 <<MSG
ensure-regal: Regal v$version is needed and could not be found or built.
Install it with Go (go install github.com/open-policy-agent/regal@v$version), from its release binaries
(https://github.com/open-policy-agent/regal/releases/tag/v$version), or in GitHub Actions with
open-policy-agent/setup-regal, then run the command again.
MSG
exit 1
