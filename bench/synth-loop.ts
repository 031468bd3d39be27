import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, utimesSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../app/project-root";

/**
 * The edit-synth loop: `npm run synth` (incremental build, then the app) against the app alone (`node
 * dist/main.js`), interleaved so that load changes hit both alike; then once after a source change (the
 * incremental tsc step runs). Target: without a change, at most 2 s and close to the app alone.
 */

function timed(command: string, args: string[], env: NodeJS.ProcessEnv): { ms: number; rebuilt: boolean } {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: PROJECT_ROOT, env, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return { ms, rebuilt: /backup-audit: build /.test(r.stdout) };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function bench(): Promise<void> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "bench-synth-loop-"));
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: path.join(outdir, "cdktf.out") };
  delete env.BACKUP_AUDIT_CONFIG;
  try {
    const npmSynth = () => timed("npm", ["run", "--silent", "synth"], env);
    const app = () => timed(process.execPath, [path.join(PROJECT_ROOT, "dist", "main.js")], env);
    npmSynth(); // brings the build up to date (npm run bench has just built everything)
    const loop: number[] = [];
    const alone: number[] = [];
    for (let i = 0; i < 5; i++) {
      const run = npmSynth();
      if (run.rebuilt) throw new Error("npm run synth rebuilt without a source change");
      loop.push(run.ms);
      alone.push(app().ms);
    }
    const source = path.join(PROJECT_ROOT, "config", "normalize.ts");
    const now = new Date();
    utimesSync(source, now, now);
    const changed = npmSynth();
    console.log(`synth loop (wall time, median of 5 interleaved runs; load average ${os.loadavg()[0].toFixed(1)})`);
    console.log(`  node dist/main.js (the app alone)       ${median(alone).toFixed(0).padStart(6)} ms`);
    console.log(`  npm run synth, no source change         ${median(loop).toFixed(0).padStart(6)} ms  x${(median(loop) / median(alone)).toFixed(2)} of the app alone`);
    console.log(`  npm run synth after a source change     ${changed.ms.toFixed(0).padStart(6)} ms  (incremental tsc${changed.rebuilt ? "" : " did NOT run"})`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
