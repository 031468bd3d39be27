#!/usr/bin/env bash
# Prints the path of a `terraform` binary at the version this project pins: `terraform` on PATH when it reports
# that version, else the project cache outside the clone, else built there from the Go module proxy
# (github.com/hashicorp/terraform has local `replace` directives, so `go install …@version` refuses it:
# scripts/lib/go-module-build.sh builds inside a writable copy of the module). stdout carries only the path.
#
# 1.13.3: it builds with the machine's Go (1.13.3, the version found on PATH here, does not: its go.mod sets
# `godebug tlskyber=0`, which Go 1.26 refuses), it has every feature the stacks use (import blocks, postconditions,
# S3 backend lock files) and speaks plugin protocol 5/6 with the v6 AWS provider.
set -euo pipefail
# shellcheck source=lib/go-module-build.sh
. "$(dirname "$0")/lib/go-module-build.sh"

version=1.11.4
dir="$go_tool_cache_root/terraform-v$version"

terraform_version_of() {
  TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null | sed -n 's/^ *"terraform_version": *"\([^"]*\)".*/\1/p'
}

if on_path=$(command -v terraform 2>/dev/null) && [ "$(terraform_version_of "$on_path")" = "$version" ]; then
  echo "$on_path"
  exit 0
fi
mkdir -p "$dir"
exec 9>"$dir.lock"
flock 9
if [ ! -x "$dir/terraform" ]; then
  build_go_module terraform github.com/hashicorp/terraform "v$version" "$dir/terraform" \
    "-X github.com/hashicorp/terraform/version.dev=no" || {
    echo "ensure-terraform: no Terraform $version; install it on PATH (https://developer.hashicorp.com/terraform/install) or let Go reach its module proxy" >&2
    exit 1
  }
fi
if [ "$(terraform_version_of "$dir/terraform")" != "$version" ]; then
  echo "ensure-terraform: $dir/terraform does not report version $version" >&2
  exit 1
fi
echo "$dir/terraform"
