import { execFileSync } from "node:child_process";
import path from "node:path";

interface SynthSample {
  mode: string;
  zones: number;
  stacks: number;
  ms: number;
  maxRssMb: number;
}

/** Wall time includes process start and module loading: that is what a user waits for. */
function measure(args: string[]): SynthSample {
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [path.join(__dirname, "synth-child.js"), ...args], { encoding: "utf8" });
  const sample = JSON.parse(out.trim().split("\n").pop() ?? "{}") as SynthSample;
  return { ...sample, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Runs the variants in turn, `rounds` times (bare, example, 1 zone, bare, ...), so that a change in machine load
 * hits every variant alike; each figure is the median of its rounds.
 */
function interleaved(variants: string[][], rounds: number): SynthSample[] {
  const samples: SynthSample[][] = variants.map(() => []);
  for (let r = 0; r < rounds; r++) variants.forEach((args, i) => samples[i].push(measure(args)));
  return samples.map((runs) => ({
    ...runs[0],
    ms: median(runs.map((s) => s.ms)),
    maxRssMb: median(runs.map((s) => s.maxRssMb)),
  }));
}

export async function bench(): Promise<void> {
  const [bare, example, one] = interleaved([["bare"], ["example"], ["zones", "1"]], 7);
  const [five, twenty] = interleaved([["zones", "5"], ["zones", "20"]], 3);
  const rows: Array<[string, SynthSample]> = [
    ["example config", example],
    ["1 landing zone", one],
    ["5 landing zones", five],
    ["20 landing zones", twenty],
  ];
  console.log("synth (stacks only, node dist/; wall time incl. process start; median of interleaved runs)");
  console.log(`  bare app (cdktf + provider modules used): ${bare.ms.toFixed(0)} ms, peak RSS ${bare.maxRssMb.toFixed(0)} MB`);
  for (const [label, s] of rows) {
    console.log(
      `  ${label.padEnd(17)} ${String(s.stacks).padStart(3)} stacks  ${s.ms.toFixed(0).padStart(6)} ms  ` +
        `x${(s.ms / bare.ms).toFixed(2)} of bare   peak RSS ${s.maxRssMb.toFixed(0)} MB (x${(s.maxRssMb / bare.maxRssMb).toFixed(2)})`,
    );
  }
  const perZone1 = one.ms - bare.ms;
  const perZone20 = (twenty.ms - bare.ms) / 20;
  console.log(`  marginal cost per landing zone: ${perZone1.toFixed(0)} ms at 1, ${perZone20.toFixed(0)} ms at 20 (linear when close)`);
}
