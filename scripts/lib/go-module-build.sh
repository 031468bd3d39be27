# Sourced by the installers of tools that are whole Go modules built from their own go.mod (Terraform, the AWS
# provider): `go install MODULE@VERSION` refuses a module with local `replace` directives, and a throwaway module
# that requires it would pick other dependency versions. So the module is downloaded from the Go module proxy and
# built inside a writable copy of it, with exactly its own go.mod and go.sum.
#
# build_go_module NAME MODULE VERSION DEST [LDFLAGS] builds MODULE@VERSION's main package into DEST (a file),
# atomically (a temporary file renamed at the end), printing progress and the time it took to stderr.

# shellcheck source=go-tool.sh
. "$(dirname "${BASH_SOURCE[0]}")/go-tool.sh"

build_go_module() {
  local name=$1 module=$2 version=$3 dest=$4 ldflags=${5:-}
  if ! command -v go >/dev/null 2>&1; then
    echo "ensure-$name: no Go toolchain to build $module@$version with" >&2
    return 1
  fi
  local start tmp src
  start=$(date +%s)
  mkdir -p "$(dirname "$dest")"
  echo "ensure-$name: downloading $module@$version from the Go module proxy" >&2
  src=$(cd "$(mktemp -d)" && GOFLAGS=-mod=mod go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  if [ -z "$src" ] || [ ! -f "$src/go.mod" ]; then
    echo "ensure-$name: the Go module proxy did not give $module@$version" >&2
    return 1
  fi
  echo "ensure-$name: downloaded in $(($(date +%s) - start)) s; building (GOMAXPROCS=$(nproc), this is the long part)" >&2
  tmp=$(mktemp -d "$go_tool_cache_root/.$name-src.XXXXXX")
  cp -r "$src/." "$tmp/"
  chmod -R u+w "$tmp"
  if (cd "$tmp" && go build -trimpath -ldflags "-s -w $ldflags" -o "$dest.partial" . >&2); then
    mv -f "$dest.partial" "$dest"
    rm -rf "$tmp"
    echo "ensure-$name: built $module@$version in $(($(date +%s) - start)) s (cold; later runs reuse $dest)" >&2
    return 0
  fi
  rm -rf "$tmp" "$dest.partial"
  echo "ensure-$name: building $module@$version failed (output above)" >&2
  return 1
}
