import { execFileSync } from "node:child_process";
import path from "node:path";
import { buildWasm, requireOpa } from "../policies/opa-cli";
import { evaluateConfigPolicies, evaluateTerraformPolicies, resetGatePolicies } from "../policies/gate";
import { PROJECT_ROOT } from "../app/project-root";
import { POLICY_SETS } from "../policies/policy-sets";
import { syntheticLandingZones } from "./landing-zones";

/**
 * Policy-gate figures with OPA's modules: cold start in a fresh process (read the committed module, check the
 * manifest, instantiate it with the OPA Wasm SDK, first evaluation: what `npm run synth` and `backup-audit
 * validate` pay), evaluation time per landing zone, and what `opa build -t wasm` costs for a custom policy
 * folder. Targets: ≤ 200 ms cold start, ≤ 5 ms evaluation per landing zone.
 */

function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const fmt = (n: number) => n.toFixed(n < 10 ? 3 : 1);

/** A fresh node process: load the gate, evaluate the embedded example once. */
const STARTUP_CHILD = `
const now = () => Number(process.hrtime.bigint()) / 1e6;
const t0 = now();
const { evaluateConfigPoliciesSync } = require(process.argv[1]);
const requireGateMs = now() - t0;
const { loadLandingZones } = require(process.argv[2]);
loadLandingZones([]).then((lzs) => {
  const t1 = now();
  const v = evaluateConfigPoliciesSync(lzs);
  const firstEvalMs = now() - t1;
  process.stdout.write(JSON.stringify({ gateMs: requireGateMs + firstEvalMs, requireGateMs, firstEvalMs, totalMs: now() - t0, violations: v.length }));
});
`;

export async function bench(): Promise<void> {
  const gateJs = path.join(__dirname, "..", "policies", "gate.js");
  const loaderJs = path.join(__dirname, "..", "config", "loader.js");
  const samples = Array.from({ length: 7 }, () => {
    const wallStart = process.hrtime.bigint();
    const out = execFileSync(process.execPath, ["-e", STARTUP_CHILD, gateJs, loaderJs], { encoding: "utf8" });
    const r = JSON.parse(out) as { gateMs: number; requireGateMs: number; firstEvalMs: number; totalMs: number; violations: number };
    return { ...r, wallMs: ms(wallStart) };
  });
  console.log(
    `cold start (fresh process, median of 7): gate ${fmt(median(samples.map((s) => s.gateMs)))} ms ` +
      `(require ${fmt(median(samples.map((s) => s.requireGateMs)))} ms + manifest check, Wasm instantiation and first evaluation ${fmt(median(samples.map((s) => s.firstEvalMs)))} ms; target ≤ 200 ms); ` +
      `with the config loader (yaml, zod) ${fmt(median(samples.map((s) => s.totalMs)))} ms; whole node process ${fmt(median(samples.map((s) => s.wallMs)))} ms`,
  );

  for (const count of [1, 10, 50]) {
    const lzs = syntheticLandingZones(count);
    await evaluateConfigPolicies(lzs);
    const per: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = process.hrtime.bigint();
      const vs = await evaluateConfigPolicies(lzs);
      per.push(ms(t));
      if (vs.length !== 0) throw new Error(`bench landing zones should pass, got ${vs.length} violations`);
    }
    const m = median(per);
    console.log(`config evaluation, ${count} landing zone(s): ${fmt(m)} ms per run, ${fmt(m / count)} ms per landing zone (target ≤ 5 ms)`);
  }

  const stacks: Record<string, unknown> = {};
  for (let i = 0; i < 20; i++) {
    stacks[`s${i}`] = {
      resource: {
        aws_s3_bucket: { b: { bucket: `b-${i}` } },
        aws_s3_bucket_server_side_encryption_configuration: { e: { bucket: "${aws_s3_bucket.b.id}", rule: { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } } } },
      },
    };
  }
  await evaluateTerraformPolicies(stacks);
  const tfTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = process.hrtime.bigint();
    await evaluateTerraformPolicies(stacks);
    tfTimes.push(ms(t));
  }
  console.log(`terraform evaluation, 20 small stacks: ${fmt(median(tfTimes))} ms per run`);
  resetGatePolicies();

  // What a custom policy folder adds to validate/synth: one opa build of the config set with it.
  const opa = requireOpa("The custom-policy benchmark");
  const builds: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    buildWasm(opa, { entrypoints: [POLICY_SETS.config.entrypoint], paths: [POLICY_SETS.config.dir, "examples/policies/owner-tag"], cwd: PROJECT_ROOT });
    builds.push(ms(t));
  }
  console.log(`opa build -t wasm, config policies + a custom folder: ${fmt(median(builds))} ms (median of 3)`);
}
