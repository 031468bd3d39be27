#!/usr/bin/env bash
# Prints the path of a cfn-lint executable of the pinned version (PyPI `cfn-lint`), installing it first when
# needed: a virtualenv outside the clone (scripts/lib/python-tool.sh), dependencies pinned by
# scripts/cfn-lint-constraints.txt (pip freeze of a clean install). stdout carries only the path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/python-tool.sh
. "$here/lib/python-tool.sh"

CFN_LINT_VERSION=1.58.0
ensure_pip_tool cfn-lint cfn-lint "$CFN_LINT_VERSION" "cfn-lint==$CFN_LINT_VERSION" "$here/cfn-lint-constraints.txt" bin/cfn-lint
