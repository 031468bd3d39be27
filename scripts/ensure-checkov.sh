#!/usr/bin/env bash
# Prints the path of a checkov executable of the pinned version, installing it first when needed.
#
# checkov (PyPI) goes into a virtualenv OUTSIDE the clone, ~/.cache/backup-audit-insights/checkov-<version>/,
# so that every clone on the machine reuses it. Its dependencies are pinned by scripts/checkov-constraints.txt
# (pip freeze of a clean install), so two machines scan with the same code. Nothing but PyPI packages is
# downloaded. Progress goes to stderr; stdout carries only the path.
set -euo pipefail

CHECKOV_VERSION=3.3.30
here="$(cd "$(dirname "$0")" && pwd)"
constraints="$here/checkov-constraints.txt"
cache="${BACKUP_AUDIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backup-audit-insights}"
dir="$cache/checkov-$CHECKOV_VERSION"
exe="$dir/bin/checkov"

# The marker is written last: an interrupted install never looks complete and is redone. The version comes
# from the package metadata (`checkov --version` imports all of checkov: seconds).
installed_version() {
  "$dir/bin/python" -c 'import importlib.metadata as m; print(m.version("checkov"))' 2>/dev/null
}
installed() {
  [ -f "$dir/.complete" ] && [ -x "$exe" ] && [ "$(installed_version)" = "$CHECKOV_VERSION" ]
}

if installed; then
  echo "$exe"
  exit 0
fi

python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(0 if (3, 9) <= sys.version_info[:2] < (3, 14) else 1)' 2>/dev/null; then
  echo "ensure-checkov: checkov $CHECKOV_VERSION needs Python 3.9-3.13 ('$python' is $("$python" --version 2>&1 || echo missing)); set PYTHON=<interpreter>" >&2
  exit 1
fi

mkdir -p "$cache"
# One installer at a time per machine (parallel CI jobs share the cache).
exec 9>"$cache/checkov-$CHECKOV_VERSION.lock"
flock 9
if installed; then
  echo "$exe"
  exit 0
fi

echo "ensure-checkov: installing checkov $CHECKOV_VERSION into $dir (from PyPI, once per machine)" >&2
rm -rf "$dir"
# Built in place (a virtualenv's scripts hard-code its path), marked complete only after the version check.
"$python" -m venv "$dir" >&2
if ! "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
  --constraint "$constraints" "checkov==$CHECKOV_VERSION" >&2; then
  cat >&2 <<MSG
ensure-checkov: pip could not install checkov==$CHECKOV_VERSION with scripts/checkov-constraints.txt (output above).
It needs PyPI (or the index pip is configured for: PIP_INDEX_URL) and Python 3.9-3.13; run the command again
once that is fixed (the half-built $dir is replaced).
MSG
  exit 1
fi
if [ "$("$exe" --version 2>/dev/null)" != "$CHECKOV_VERSION" ]; then
  echo "ensure-checkov: $exe does not report version $CHECKOV_VERSION after the install" >&2
  exit 1
fi
touch "$dir/.complete"
echo "$exe"
