# Sourced by the scripts/ensure-*.sh installers of Go-built tools (OPA, Regal, ...).
#
# ensure_go_tool NAME VERSION MODULE PACKAGE prints the path of NAME at VERSION and returns 0:
#   1. NAME on PATH, when `NAME version` reports VERSION;
#   2. the project's cache outside the clone (~/.cache/backup-audit-insights/NAME-vVERSION/NAME), shared by every
#      clone on the machine;
#   3. built there from the Go module proxy (MODULE@vVERSION, main package PACKAGE).
# It returns 1 when none works; the caller then says how else to install the tool. Progress goes to stderr.
# It downloads nothing but the tool's Go modules.

go_tool_cache_root="${BACKUP_AUDIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backup-audit-insights}"

go_tool_version_of() { "$1" version 2>/dev/null | sed -n 's/^Version: *v\{0,1\}//p' | head -n 1; }

ensure_go_tool() {
  local name=$1 version=$2 module=$3 package=$4
  local cache_dir="$go_tool_cache_root/$name-v$version" on_path
  if on_path=$(command -v "$name" 2>/dev/null) && [ "$(go_tool_version_of "$on_path")" = "$version" ]; then
    echo "$on_path"
    return 0
  fi
  # The cache folder is named by version; a binary appears there only once a build finished.
  if [ -x "$cache_dir/$name" ]; then
    echo "$cache_dir/$name"
    return 0
  fi
  if ! command -v go >/dev/null 2>&1; then
    echo "ensure-$name: no Go toolchain to build $name v$version with" >&2
    return 1
  fi
  echo "ensure-$name: building $name v$version with Go into $cache_dir (a few minutes, once per machine)" >&2
  mkdir -p "$cache_dir"
  local tmp start
  tmp=$(mktemp -d "$go_tool_cache_root/.$name-build.XXXXXX")
  start=$(date +%s)
  # A throwaway module rather than `go install MODULE@VERSION`: the latter also asks the proxy for the module's
  # version list (for deprecation notices), which some proxies refuse while serving the version itself. The build
  # lands in a temporary folder and moves into place at the end: an interrupted build leaves no broken binary.
  if (
    cd "$tmp" &&
      go mod init "$name-build" >/dev/null 2>&1 &&
      go get "$module@v$version" >&2 &&
      go build -trimpath -o "$tmp/$name" "$package" >&2
  ); then
    mv -f "$tmp/$name" "$cache_dir/$name"
    rm -rf "$tmp"
    echo "ensure-$name: built $name v$version in $(($(date +%s) - start)) s" >&2
    echo "$cache_dir/$name"
    return 0
  fi
  rm -rf "$tmp"
  echo "ensure-$name: building $module@v$version failed (output above)" >&2
  return 1
}
