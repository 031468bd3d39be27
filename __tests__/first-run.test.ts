import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The README's first five minutes in a fresh clone (the project's files, no dist/, this checkout's node_modules
 * linked in place of `npm ci`): `npm run synth`, then `npx backup-audit validate --config
 * examples/single-account.yaml` — which builds the CLI it needs on first use, with one progress line on stderr, and
 * answers on stdout exactly as a built CLI would.
 */
const ROOT = path.resolve(__dirname, "..");

let clone: string;
beforeAll(() => {
  clone = mkdtempSync(path.join(os.tmpdir(), "first-run-"));
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter((f) => f.length > 0 && existsSync(path.join(ROOT, f)));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
    copyFileSync(path.join(ROOT, f), path.join(clone, f));
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(clone, "node_modules"), "dir");
});
afterAll(() => rmSync(clone, { recursive: true, force: true }));

function run(command: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: "", CDKTF_OUTDIR: path.join(clone, "cdktf.out") };
  delete env.BACKUP_AUDIT_CONFIG;
  delete env.BACKUP_AUDIT_POLICIES;
  return spawnSync(command, args, { cwd: clone, env, encoding: "utf8", timeout: 300_000 });
}

test("npm run synth, then the CLI builds itself once and validates", () => {
  expect(existsSync(path.join(clone, "dist"))).toBe(false);
  const synth = run("npm", ["run", "--silent", "synth"]);
  expect(synth.status).toBe(0);
  expect(synth.stdout).toContain("backup-audit: build tsc (dist/main.js is missing)");
  // synth builds the app only: the CLI is still missing, as it was before this change.
  expect(existsSync(path.join(clone, "dist", "cli", "index.js"))).toBe(false);

  const first = run("npx", ["backup-audit", "validate", "--config", "examples/single-account.yaml"]);
  expect([first.status, first.stdout, first.stderr]).toEqual([0, "policy gate: no violations\n", "backup-audit: build cli (dist/cli/index.js is missing)\n"]);

  const again = run("npx", ["backup-audit", "validate", "--config", "examples/single-account.yaml"]);
  expect([again.status, again.stdout, again.stderr]).toEqual([0, "policy gate: no violations\n", ""]);

  const queries = run("npx", ["backup-audit", "query", "--list"]);
  expect(queries.status).toBe(0);
  expect(queries.stdout).toContain("largest_backups");
  expect(queries.stderr).toBe("");
}, 600_000);

test("a source newer than the CLI's build is compiled first, a compile error exits 1 with stdout empty", () => {
  const broken = path.join(clone, "cli", "commands", "broken.ts");
  writeFileSync(broken, "export const x: number = 'not a number';\n");
  // Not imported by cli/index.ts: the step sees a newer input and runs tsc, which compiles only the CLI's program
  // (the file's type error is not part of it) and succeeds.
  const r = run("node", ["bin/backup-audit.js", "--version"]);
  expect(r.stderr).toBe("backup-audit: build cli (cli/commands/broken.ts changed)\n");
  expect(r.status).toBe(0);
  rmSync(broken);

  const index = path.join(clone, "cli", "exit-codes.ts");
  const original = readFileSync(index, "utf8");
  writeFileSync(index, `${original}\nexport const broken: number = "text";\n`);
  try {
    const failed = run("node", ["bin/backup-audit.js", "--version"]);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toBe("");
    expect(failed.stderr).toContain("backup-audit: build cli (cli/exit-codes.ts changed)");
    expect(failed.stderr).toContain("error TS2322");
    expect(failed.stderr).toContain("backup-audit: build step cli failed (exit 2): fix the errors above and run again");
  } finally {
    writeFileSync(index, original);
  }
}, 600_000);
