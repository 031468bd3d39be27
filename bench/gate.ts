import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { compiledPolicy, gatePolicySets } from "../policies/compile-cache";
import { evaluateConfigPolicies, evaluateTerraformPolicies, loadGatePolicy, resetGatePolicies } from "../policies/gate";
import { syntheticLandingZones } from "./landing-zones";

/**
 * Policy-gate figures: cold compile (no cache), cached start-up in a fresh process (what `npm run synth` and
 * `backup-audit validate` pay), and evaluation time per landing zone. Targets: ≤ 200 ms cached start-up,
 * ≤ 5 ms evaluation per landing zone.
 */

function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const fmt = (n: number) => n.toFixed(n < 10 ? 3 : 1);

/** A fresh node process: load the gate, read the cached module, evaluate the example once. */
const STARTUP_CHILD = `
const now = () => Number(process.hrtime.bigint()) / 1e6;
const t0 = now();
const { evaluateConfigPolicies } = require(process.argv[1]);
const requireGateMs = now() - t0;
const { loadLandingZones } = require(process.argv[2]);
loadLandingZones([]).then(async (lzs) => {
  const t1 = now();
  const v = await evaluateConfigPolicies(lzs);
  const firstEvalMs = now() - t1;
  process.stdout.write(JSON.stringify({ gateMs: requireGateMs + firstEvalMs, requireGateMs, firstEvalMs, totalMs: now() - t0, violations: v.length }));
});
`;

export async function bench(): Promise<void> {
  const sets = gatePolicySets();
  const tmp = mkdtempSync(path.join(os.tmpdir(), "gate-bench-"));
  try {
    for (const [name, set] of Object.entries(sets)) {
      const first = process.hrtime.bigint();
      const a = await compiledPolicy(set, { cacheDir: tmp, engine: "rego-wasm", force: true });
      const firstMs = ms(first);
      const again = process.hrtime.bigint();
      await compiledPolicy(set, { cacheDir: tmp, engine: "rego-wasm", force: true });
      const againMs = ms(again);
      console.log(`compile ${name} policies (no cache): ${fmt(firstMs)} ms first in process (loads binaryen), ${fmt(againMs)} ms warm; ${a.wasm.length} bytes`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  // Make sure the project cache is populated, then measure start-up in fresh processes.
  await loadGatePolicy("config");
  await loadGatePolicy("terraform");
  const gateJs = path.join(__dirname, "..", "policies", "gate.js");
  const loaderJs = path.join(__dirname, "..", "config", "loader.js");
  const samples = Array.from({ length: 5 }, () => {
    const wallStart = process.hrtime.bigint();
    const out = execFileSync(process.execPath, ["-e", STARTUP_CHILD, gateJs, loaderJs], { encoding: "utf8" });
    const r = JSON.parse(out) as { gateMs: number; requireGateMs: number; firstEvalMs: number; totalMs: number; violations: number };
    return { ...r, wallMs: ms(wallStart) };
  });
  console.log(
    `cached start-up (fresh process, median of 5): gate ${fmt(median(samples.map((s) => s.gateMs)))} ms ` +
      `(require ${fmt(median(samples.map((s) => s.requireGateMs)))} ms + cache read, Wasm load and first evaluation ${fmt(median(samples.map((s) => s.firstEvalMs)))} ms; target ≤ 200 ms); ` +
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
}
