import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * `npm run synth` as CI runs it (stdout and stderr are pipes, no TTY): plain lines, each problem once, a last
 * line saying where the stacks are and what to run next; and the build before it runs only what changed.
 */
const ROOT = path.resolve(__dirname, "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const build = require(path.join(ROOT, "scripts", "incremental-build.js")) as {
  ensureBuilt(log?: (line: string) => void): string[];
  staleReason(step: unknown): string | null;
  STEPS: Array<{ name: string }>;
};
const example = readFileSync(path.join(ROOT, "__tests__", "fixtures", "landing-zone.yaml"), "utf8");

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "synth-loop-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function npmSynth(configs: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, BACKUP_AUDIT_CONFIG: configs.join(","), CDKTF_OUTDIR: path.join(work, "cdktf.out"), NODE_OPTIONS: "" };
  return spawnSync("npm", ["run", "--silent", "synth"], { cwd: ROOT, env, encoding: "utf8", timeout: 180_000 });
}

const SPINNER = /[\u2800-\u28ff]|\r|\u001b\[/;

test("a clean synth ends with where the stacks are and what to run next", () => {
  const file = path.join(work, "lz.yaml");
  writeFileSync(file, `${example}alerts:\n  emails: [ops@example.com]\n`);
  const result = npmSynth([file]);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  expect(result.stdout).not.toMatch(SPINNER);
  const lines = result.stdout.trimEnd().split("\n");
  expect(lines[lines.length - 1]).toBe(
    `backup-audit: stacks are in ${path.join(work, "cdktf.out", "stacks")}; next: \`npx cdktf diff <stack>\` to review a plan, \`npx cdktf deploy <stack>\` to apply it`,
  );
});

test("a landing zone whose alarms nobody hears is synthesized, with one warning on stderr naming the field", () => {
  const file = path.join(work, "lz.yaml");
  writeFileSync(file, example);
  const result = npmSynth([file]);
  expect(result.status).toBe(0);
  expect(result.stderr.split("\n").filter((l) => l.length > 0)).toEqual([
    `warning: ${file}:3:1: BAI054 [acme-prod] alerts.emails: alerts.emails is empty: every failure alarm of landing zone acme-prod (dead-letter queues, the partitioner's errors, report header drift) notifies an SNS topic with no subscriber, so nobody hears it`,
    "    fix: list the addresses to notify under alerts.emails (each confirms the subscription by mail), or subscribe to the topic <landing zone>-backup-audit-alarms outside this project",
  ]);
  expect(result.stdout).toContain("backup-audit: synthesized 6 stack(s)");
});

test("violations are printed once, unlabelled, and exit 1", () => {
  const file = path.join(work, "lz.yaml");
  writeFileSync(file, example.replace("formats: [CSV]", "formats: [CSV, JSON]").replace("trustedAccess: [backup.amazonaws.com, ", "trustedAccess: ["));
  const result = npmSynth([file]);
  expect(result.status).toBe(1);
  const output = result.stdout + result.stderr;
  expect(output).not.toMatch(SPINNER);
  expect(output).not.toContain("[ERROR]");
  for (const id of ["BAI001", "BAI002"]) expect(output.split(`${id} [acme-prod]`)).toHaveLength(2);
  expect(result.stderr.trimEnd().split("\n").pop()).toBe("policy gate: 2 violations");
});

test("the build before synth runs only the steps whose inputs changed", () => {
  build.ensureBuilt(() => undefined);
  for (const step of build.STEPS) expect([step.name, build.staleReason(step)]).toEqual([step.name, null]);
  // A source newer than the last build makes the compile step stale, naming the file; nothing is rebuilt here.
  const source = path.join(ROOT, "config", "normalize.ts");
  const { atime, mtime } = statSync(source);
  try {
    const future = new Date(Date.now() + 60_000);
    utimesSync(source, future, future);
    expect(build.staleReason(build.STEPS[0])).toBe("config/normalize.ts changed");
    expect(build.staleReason(build.STEPS[1])).toBeNull();
  } finally {
    utimesSync(source, atime, mtime);
  }
  // The built policy modules are read at run time: rebuilding them compiles nothing.
  const manifest = path.join(ROOT, "policies", "build", "manifest.json");
  const before = statSync(manifest);
  try {
    const future = new Date(Date.now() + 60_000);
    utimesSync(manifest, future, future);
    for (const step of build.STEPS) expect([step.name, build.staleReason(step)]).toEqual([step.name, null]);
  } finally {
    utimesSync(manifest, before.atime, before.mtime);
  }
});
