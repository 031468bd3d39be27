#!/usr/bin/env bash
# Prints the path of moto's server (`moto_server`, PyPI `moto[server]`), the AWS API emulator that the deploy
# rehearsal applies the stacks to: a virtualenv outside the clone (scripts/lib/python-tool.sh), dependencies
# pinned by scripts/moto-constraints.txt. stdout carries only the path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/python-tool.sh
. "$here/lib/python-tool.sh"

MOTO_VERSION=5.2.6
ensure_pip_tool moto moto "$MOTO_VERSION" "moto[server]==$MOTO_VERSION" "$here/moto-constraints.txt" bin/moto_server
