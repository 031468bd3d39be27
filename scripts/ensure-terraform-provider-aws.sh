#!/usr/bin/env bash
# Prints the path of a CLI configuration file (TF_CLI_CONFIG_FILE) under which Terraform uses the AWS provider this
# project pins, built from source with Go on a machine's first run and cached outside the clone. No registry
# download: the CLI configuration's `filesystem_mirror` is the only source of hashicorp/aws, so `terraform init`
# (backend and providers, lock file included) works as in a user's pipeline, offline. (`dev_overrides` would
# need no mirror, but `terraform init` then still asks the registry for the provider and fails offline.)
#
# Why this commit: @cdktf/provider-aws 21.22.1 generates against provider 6.25.0 (constraint "~> 6.0"). The
# provider's v6 tags are not valid Go module versions for its module path, so the Go module proxy serves it only
# as a pseudo-version of a commit. 5f2286d6d836 is main of 2026-06-02 (its CHANGELOG heads "6.48.0 (Unreleased)"):
# after 6.25.0, inside the same major version, and it knows every argument the synthesized JSON uses. The binary
# reports itself as 6.48.0-dev so nobody mistakes it for a release. In the mirror it sits under 6.25.0, the exact
# version the synthesized `required_providers` pins (a mirror entry is named by version); it is a later v6.
#
# The build needs ~2 GB of modules and ~8 GB of Go build cache, gives a ~1 GB binary, and takes ~40 min on two
# cores; once per machine. Progress and the build time go to stderr; stdout carries only the config's path.
set -euo pipefail
# shellcheck source=lib/go-module-build.sh
. "$(dirname "$0")/lib/go-module-build.sh"

module=github.com/hashicorp/terraform-provider-aws
pseudo_version=v1.60.1-0.20260602190131-5f2286d6d836
reported_version=6.48.0-dev
mirrored_version=6.25.0
dir="$go_tool_cache_root/terraform-provider-aws-$pseudo_version"
binary="$dir/terraform-provider-aws"
cli_config="$dir/terraform.rc"

mkdir -p "$dir"
exec 9>"$dir.lock"
flock 9
if [ ! -x "$binary" ]; then
  build_go_module terraform-provider-aws "$module" "$pseudo_version" "$binary" \
    "-X $module/version.ProviderVersion=$reported_version" || {
    echo "ensure-terraform-provider-aws: no provider; check that Go can reach its module proxy (GOPROXY) and that ~10 GB are free" >&2
    exit 1
  }
fi
# The unpacked mirror layout: HOST/NAMESPACE/TYPE/VERSION/OS_ARCH/terraform-provider-TYPE_vVERSION. Rewritten
# each time so that a moved cache folder still points at its binary.
platform="$(go env GOOS 2>/dev/null || uname -s | tr '[:upper:]' '[:lower:]')_$(go env GOARCH 2>/dev/null || echo amd64)"
package_dir="$dir/mirror/registry.terraform.io/hashicorp/aws/$mirrored_version/$platform"
mkdir -p "$package_dir"
ln -sfn "$binary" "$package_dir/terraform-provider-aws_v$mirrored_version"
cat >"$cli_config.partial" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$dir/mirror"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
disable_checkpoint = true
RC
mv -f "$cli_config.partial" "$cli_config"
echo "$cli_config"
