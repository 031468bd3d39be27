#!/usr/bin/env bash
# The Rego checks of `npm test`, with the real OPA toolchain (installed by scripts/ensure-opa.sh):
#   opa check --strict, opa fmt --list (fails on any unformatted file), opa test --coverage (fails under the
#   threshold) on the project's policies and on the custom-rule example, then regal lint (.regal/config.yaml says which rules are off and why).
set -euo pipefail
cd "$(dirname "$0")/.."

coverage_threshold=98
opa=$(scripts/ensure-opa.sh)
policy_dirs=(policies/config policies/terraform policies/plan)
example=examples/policies/owner-tag

"$opa" check --strict "${policy_dirs[@]}" "$example"
echo "opa check --strict: ok"

unformatted=$("$opa" fmt --list policies examples/policies)
if [ -n "$unformatted" ]; then
  echo "opa fmt: these files are not formatted (run: $opa fmt -w policies examples/policies):" >&2
  printf '  %s\n' $unformatted >&2
  exit 1
fi
echo "opa fmt --list: every file formatted"

"$opa" test policies
coverage_json=$(mktemp)
trap 'rm -f "$coverage_json"' EXIT
if ! "$opa" test policies --coverage --threshold "$coverage_threshold" >"$coverage_json"; then
  node -e 'const c=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.error(`opa test --coverage: ${c.coverage.toFixed(2)}% is under the ${process.argv[2]}% threshold`)' "$coverage_json" "$coverage_threshold" 2>/dev/null || true
  exit 1
fi
node -e '
const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const files = Object.entries(c.files ?? {}).filter(([, f]) => (f.coverage ?? 100) < 100);
console.log(`opa test --coverage: ${c.coverage.toFixed(2)}% of policy lines covered (threshold ${process.argv[2]}%)`);
for (const [name, f] of files) console.log(`  ${name}: ${f.coverage.toFixed(1)}%, not covered: ${(f.not_covered ?? []).map((r) => r.start.row === r.end.row ? r.start.row : r.start.row + "-" + r.end.row).join(", ")}`);
' "$coverage_json" "$coverage_threshold"

# The custom-rule example is tested against the built-in package, without the built-in tests' fixtures.
mapfile -t builtin < <(ls policies/config/*.rego | grep -v '_test\.rego$')
echo "custom-rule example ($example):"
"$opa" test "${builtin[@]}" "$example"

regal=$(scripts/ensure-regal.sh)
"$regal" lint policies examples/policies
