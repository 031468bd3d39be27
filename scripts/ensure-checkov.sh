#!/usr/bin/env bash
# Prints the path of a checkov executable of the pinned version, installing it first when needed: a virtualenv
# outside the clone (scripts/lib/python-tool.sh), dependencies pinned by scripts/checkov-constraints.txt.
# stdout carries only the path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/python-tool.sh
. "$here/lib/python-tool.sh"

CHECKOV_VERSION=3.3.30
ensure_pip_tool checkov checkov "$CHECKOV_VERSION" "checkov==$CHECKOV_VERSION" "$here/checkov-constraints.txt" bin/checkov
