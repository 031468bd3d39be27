#!/usr/bin/env bash
# Prints the path of actionlint (the GitHub Actions workflow linter) at the version this project pins (on PATH,
# in the project cache, or built there with Go: scripts/lib/go-tool.sh), or stops and lists the ways to install
# it. `.ci/run` runs it on .github/workflows/*.yml.
set -euo pipefail
# shellcheck source=lib/go-tool.sh
. "$(dirname "$0")/lib/go-tool.sh"

version="1.7.12"
ensure_go_tool actionlint "$version" github.com/rhysd/actionlint github.com/rhysd/actionlint/cmd/actionlint && exit 0

cat >&2 <<MSG
ensure-actionlint: actionlint v$version is needed and could not be found or built.
Install it with Go (go install github.com/rhysd/actionlint/cmd/actionlint@v$version) or from its release
binaries (https://github.com/rhysd/actionlint/releases/tag/v$version), then run the command again.
MSG
exit 1
