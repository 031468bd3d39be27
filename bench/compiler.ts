/**
 * Benchmark of the built-in Rego → Wasm compiler: compile time of the project's policies (policies/<set>/), and
 * evaluation latency per call through the unmodified opa-wasm SDK for a small and a 1,000-element input, with
 * a plain-JS evaluation of the same check as the reference line.
 */
import * as fs from "fs";
import * as path from "path";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { PROJECT_ROOT } from "../app/project-root";
import { compileRego } from "../tools/rego-wasm/src/index";

const ROOT = PROJECT_ROOT;

/** The latency check, also used when the project's policies are missing or do not compile. */
const SAMPLE = `package bench.sample
import rego.v1

violations contains v if {
  some i, b in input.buckets
  not startswith(b.name, "org-")
  v := {"id": "B001", "path": sprintf("buckets[%d]", [i]), "message": sprintf("bucket %s lacks the org- prefix", [b.name])}
}

violations contains v if {
  some b in input.buckets
  count(b.tags) == 0
  v := {"id": "B002", "path": b.name, "message": "bucket has no tags"}
}
`;

interface SampleBucket {
  name: string;
  tags: string[];
}

function sampleInput(n: number): { buckets: SampleBucket[] } {
  const buckets: SampleBucket[] = [];
  for (let i = 0; i < n; i++) buckets.push({ name: i % 10 === 0 ? `bucket-${i}` : `org-bucket-${i}`, tags: i % 7 === 0 ? [] : ["team"] });
  return { buckets };
}

/** The same check in plain JS: the reference for what the Wasm evaluation costs on top of the logic itself. */
function sampleInJs(input: { buckets: SampleBucket[] }): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  input.buckets.forEach((b, i) => {
    if (!b.name.startsWith("org-")) {
      out.push({ id: "B001", path: `buckets[${i}]`, message: `bucket ${b.name} lacks the org- prefix` });
    }
    if (b.tags.length === 0) out.push({ id: "B002", path: b.name, message: "bucket has no tags" });
  });
  return out;
}

function readRego(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  for (const name of fs.readdirSync(dir).sort()) {
    if (name.endsWith(".rego") && !name.endsWith("_test.rego")) out[path.join(path.relative(ROOT, dir), name)] = fs.readFileSync(path.join(dir, name), "utf8");
  }
  return out;
}

async function timeCompile(sources: Record<string, string>, entrypoint: string): Promise<{ ms: number[]; wasm: Uint8Array }> {
  const ms: number[] = [];
  let wasm: Uint8Array = new Uint8Array();
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    wasm = (await compileRego(sources, { entrypoints: [entrypoint] })).wasm;
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms, wasm };
}

/** Mean µs per call over enough iterations to take ~0.5 s (after a warm-up). */
function perCall(fn: () => unknown): number {
  for (let i = 0; i < 20; i++) fn();
  let n = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < 5e8) {
    for (let i = 0; i < 10; i++) fn();
    n += 10;
    elapsed = Number(process.hrtime.bigint() - t0);
  }
  return elapsed / n / 1000;
}

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

export async function bench(): Promise<void> {
  const sets: Array<[string, string]> = [
    ["config", "backup_audit/config/violations"],
    ["terraform", "backup_audit/terraform/violations"],
  ];
  let compiledAny = false;
  for (const [set, entrypoint] of sets) {
    const sources = readRego(path.join(ROOT, "policies", set));
    const files = Object.keys(sources).length;
    if (files === 0) continue;
    try {
      const { ms, wasm } = await timeCompile(sources, entrypoint);
      compiledAny = true;
      console.log(`compile policies/${set} (${files} files): first ${fmt(ms[0])} ms, then ${ms.slice(1).map(fmt).join(" / ")} ms; ${wasm.length} bytes`);
    } catch (e) {
      console.log(`compile policies/${set}: FAILED ${(e as Error).message.split("\n")[0]}`);
    }
  }
  const { ms, wasm } = await timeCompile({ "sample.rego": SAMPLE }, "bench/sample/violations");
  console.log(`compile sample policy${compiledAny ? "" : " (project policies unavailable)"}: ${ms.map(fmt).join(" / ")} ms; ${wasm.length} bytes`);

  const policy = await loadPolicy(wasm);
  for (const n of [3, 1000]) {
    const input = sampleInput(n);
    const rs = policy.evaluate(input, "bench/sample/violations") as Array<{ result: unknown[] }>;
    const js = sampleInJs(input);
    if (rs[0].result.length !== js.length) throw new Error(`sample policy and JS reference disagree: ${rs[0].result.length} vs ${js.length}`);
    const wasmUs = perCall(() => policy.evaluate(input, "bench/sample/violations"));
    const jsUs = perCall(() => sampleInJs(input));
    console.log(`eval ${n} buckets (${js.length} violations): wasm via SDK ${fmt(wasmUs)} µs/call; plain JS ${fmt(jsUs)} µs/call`);
  }
}

if (require.main === module) {
  bench().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
