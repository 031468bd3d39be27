#!/usr/bin/env bash
# The consumer test: packs this package with `npm pack`, installs the tarball into a fresh cdktf app in a
# temporary folder outside the repository, and runs __tests__/consumer/consumer.test.mjs (node's test runner)
# against it: the README's example app (examples/library/main.ts, two landing zones in TypeScript) compiles with
# tsc and synthesizes with `cdktf synth`, and an app with a bad landing zone is refused by the policy gate.
# Slow (an npm install of cdktf and the AWS provider), so .ci/run runs it as its own step, not npm test.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
export CHECKPOINT_DISABLE=1

work="$(mktemp -d "${TMPDIR:-/tmp}/backup-audit-consumer.XXXXXX")"
[ "${KEEP_CONSUMER_APP:-}" = "1" ] || trap 'rm -rf "$work"' EXIT
start=$(date +%s)

# prepack builds dist/ and the partitioner zip; the tarball is exactly what `npm publish` would upload.
(cd "$repo" && npm pack --silent --pack-destination "$work" >"$work/pack-name")
tarball="$work/$(tail -n 1 "$work/pack-name")"
echo "consumer-test: packed $(basename "$tarball") ($(( $(date +%s) - start )) s)"

app="$work/app"
mkdir -p "$app"
cp "$repo/examples/library/main.ts" "$repo/__tests__/consumer/bad-landing-zone.ts" \
   "$repo/__tests__/consumer/tsconfig.json" "$repo/__tests__/consumer/cdktf.json" "$app/"
printf '{\n  "name": "consumer-app",\n  "version": "0.0.0",\n  "private": true\n}\n' >"$app/package.json"

# The versions this repository pins, so the app resolves to the same cdktf the library was built against.
pin() { node -p "const p=require('$repo/package.json'); (p.dependencies||{})['$1'] || p.devDependencies['$1']"; }
(
  cd "$app"
  npm install --save-exact --prefer-offline --no-audit --no-fund --loglevel=error "$tarball" \
    "cdktf@$(pin cdktf)" "constructs@$(pin constructs)" "@cdktf/provider-aws@$(pin @cdktf/provider-aws)" \
    "typescript@$(pin typescript)" "@types/node@$(pin @types/node)"
)
echo "consumer-test: installed into $app ($(( $(date +%s) - start )) s)"

CONSUMER_APP="$app" TARBALL="$tarball" CDKTF_CLI="$repo/node_modules/.bin/cdktf" \
  node --test --test-reporter=spec "$repo/__tests__/consumer/consumer.test.mjs"
echo "consumer-test: done in $(( $(date +%s) - start )) s"
