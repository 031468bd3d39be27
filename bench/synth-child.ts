import { App, TerraformStack } from "cdktf";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../app/project-root";
import { loadLandingZones } from "../config/loader";
import { loadNamedQueries } from "../queries/catalog";
import { buildLandingZoneStacks } from "../stacks/landing-zone";
import { PARTITIONER_PACKAGE } from "../app/synth";
import { syntheticLandingZones } from "./landing-zones";

/**
 * One measurement in a fresh process (so peak RSS is this run's): `bare` loads cdktf and every provider module
 * the stacks import and synthesizes an empty stack; `example` / `zones N` build the real stacks.
 * Prints one JSON line: {mode, zones, stacks, ms, maxRssMb}.
 */
function providerModulesUsedByStacks(): string[] {
  const root = path.join(PROJECT_ROOT, "stacks");
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const file = path.join(dir, entry);
      if (statSync(file).isDirectory()) walk(file);
      else if (entry.endsWith(".ts")) {
        for (const m of readFileSync(file, "utf8").matchAll(/@cdktf\/provider-aws\/lib\/[a-z0-9-]+/g)) found.add(m[0]);
      }
    }
  };
  walk(root);
  return [...found].sort();
}

async function main(): Promise<void> {
  const [mode, countArg] = process.argv.slice(2);
  const outdir = mkdtempSync(path.join(os.tmpdir(), "bench-synth-"));
  const started = process.hrtime.bigint();
  let stacks = 0;
  try {
    if (mode === "bare") {
      for (const mod of providerModulesUsedByStacks()) require(mod);
      const app = new App({ outdir });
      new TerraformStack(app, "bare");
      app.synth();
      stacks = 1;
    } else {
      const lzs = mode === "example" ? await loadLandingZones([]) : syntheticLandingZones(Number(countArg));
      const app = new App({ outdir });
      const namedQueries = loadNamedQueries();
      for (const lz of lzs) {
        const built = buildLandingZoneStacks(app, lz, { partitionerPackage: PARTITIONER_PACKAGE, namedQueries });
        stacks += Object.values(built).filter(Boolean).length;
      }
      app.synth();
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ mode, zones: mode === "bare" ? 0 : mode === "example" ? 1 : Number(countArg), stacks, ms, maxRssMb }) + "\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
