# Sourced by the installers of PyPI tools (checkov, moto's server, ...).
#
# ensure_pip_tool NAME DIST VERSION REQUIREMENT CONSTRAINTS EXE prints the path of EXE (a script of the
# virtualenv, e.g. bin/checkov) and returns 0, installing first when needed:
#   a virtualenv OUTSIDE the clone, ~/.cache/backup-audit-insights/NAME-VERSION-<constraints hash>/, shared by
#   every clone on the machine (a changed constraints file gets a new one); REQUIREMENT (e.g. "moto[server]==5.2.6") installed with pip under CONSTRAINTS (pip freeze of a clean
#   install), so that two machines run the same code. DIST is the distribution whose version is checked.
# Nothing but PyPI packages is downloaded. Progress and the install time go to stderr.

python_tool_cache_root="${BACKUP_AUDIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backup-audit-insights}"

ensure_pip_tool() {
  local name=$1 dist=$2 version=$3 requirement=$4 constraints=$5 exe_rel=$6
  local dir
  dir="$python_tool_cache_root/$name-$version-$(sha256sum "$constraints" | cut -c1-12)"
  local exe="$dir/$exe_rel"
  # The marker is written last: an interrupted install never looks complete and is redone. The version comes from
  # the package metadata (importing the tool itself can take seconds).
  _pip_tool_installed() {
    [ -f "$dir/.complete" ] && [ -x "$exe" ] &&
      [ "$("$dir/bin/python" -c "import importlib.metadata as m; print(m.version('$dist'))" 2>/dev/null)" = "$version" ]
  }
  if _pip_tool_installed; then
    echo "$exe"
    return 0
  fi
  local python="${PYTHON:-python3}"
  if ! "$python" -c 'import sys; sys.exit(0 if (3, 9) <= sys.version_info[:2] < (3, 14) else 1)' 2>/dev/null; then
    echo "ensure-$name: $name $version needs Python 3.9-3.13 ('$python' is $("$python" --version 2>&1 || echo missing)); set PYTHON=<interpreter>" >&2
    return 1
  fi
  mkdir -p "$python_tool_cache_root"
  # One installer at a time per machine (parallel CI jobs share the cache).
  exec 9>"$dir.lock"
  flock 9
  if _pip_tool_installed; then
    echo "$exe"
    return 0
  fi
  local start
  start=$(date +%s)
  echo "ensure-$name: installing $requirement into $dir (from PyPI, once per machine)" >&2
  rm -rf "$dir"
  # Built in place (a virtualenv's scripts hard-code its path), marked complete only after the version check.
  "$python" -m venv "$dir" >&2
  if ! "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    --constraint "$constraints" "$requirement" >&2; then
    cat >&2 <<MSG
ensure-$name: pip could not install $requirement with $constraints (output above).
It needs PyPI (or the index pip is configured for: PIP_INDEX_URL) and Python 3.9-3.13; run the command again
once that is fixed (the half-built $dir is replaced).
MSG
    return 1
  fi
  touch "$dir/.complete"
  if ! _pip_tool_installed; then
    rm -f "$dir/.complete"
    echo "ensure-$name: $dist in $dir is not version $version after the install" >&2
    return 1
  fi
  echo "ensure-$name: installed $name $version in $(($(date +%s) - start)) s" >&2
  echo "$exe"
}
