import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ENGINE_NODE_OPTIONS } from "../queries/duckdb";

/**
 * The CLI as users run it (bin/backup-audit.js on the built dist/): `--version`, and the same exit codes in every
 * command — 0 done, 1 violations or failed work, 2 usage errors or unreadable input — with messages, no traces.
 */
const ROOT = path.resolve(__dirname, "..");
const BIN = path.join(ROOT, "bin", "backup-audit.js");

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "cli-exit-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(args: string[], bin = BIN) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" }, timeout: 60_000 });
}

const NO_TRACE = /\n\s+at |Error: Cannot find module/;

test("--version prints the package version", () => {
  const version = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
  for (const flag of ["--version", "-V"]) {
    const r = cli([flag]);
    expect([r.status, r.stdout]).toEqual([0, `${version}\n`]);
  }
});

test.each([
  [["backfill", "--config", "x.yaml", "--bogus"], "error: unknown option '--bogus'"],
  [["backfill"], "error: required option '--config <file>' not specified"],
  [["nosuch"], "error: unknown command 'nosuch'"],
  [["parse-key"], "error: missing required argument 'key'"],
  [["query", "largest_backups", "--param", "1", "--reports", "/nonexistent/reports"], "backup-audit query: reports folder not found: /nonexistent/reports"],
  [["report", "--reports", "/nonexistent/reports", "--format", "markdown"], "backup-audit report: reports folder not found: /nonexistent/reports"],
  [["report", "--reports", "/nonexistent/reports", "--from", "2026-13-01", "--format", "markdown"], "backup-audit report: --from \"2026-13-01\" is not a day"],
  [["validate", "--config", "/nonexistent/lz.yaml"], "/nonexistent/lz.yaml: no such file or folder"],
  [["check-plan"], "error: missing required argument 'plan'"],
  [["check-plan", "/nonexistent/plan.json"], "/nonexistent/plan.json: no such file: give the JSON written by `terraform show -json <saved plan> > plan.json`"],
  [["check-plan", "/nonexistent/plan.json", "--format", "xml"], "error: option '--format <format>' argument 'xml' is invalid"],
])("%j exits 2", (args, message) => {
  const r = cli(args);
  expect(r.stderr).toContain(message);
  expect(r.stderr).not.toMatch(NO_TRACE);
  expect(r.status).toBe(2);
});

test("an invalid config exits 2 in backfill too, with the config's issues", () => {
  const bad = path.join(work, "bad.yaml");
  writeFileSync(bad, readFileSync(path.join(ROOT, "__tests__", "fixtures", "landing-zone.yaml"), "utf8").replace("owner: platform-team", "aws:owner: platform-team"));
  const r = cli(["backfill", "--config", bad, "--dry-run"]);
  expect(r.stderr).toBe(
    `backup-audit: invalid config\n${bad}:8:3: tags.aws:owner: tag keys starting with aws: are reserved for AWS: choose another prefix; got the key "aws:owner"\n`,
  );
  expect(r.status).toBe(2);
});

test("no dist/ and no sources to build it from: a message saying what to run, exit 2", () => {
  const fresh = path.join(work, "no-sources");
  mkdirSync(path.join(fresh, "bin"), { recursive: true });
  copyFileSync(BIN, path.join(fresh, "bin", "backup-audit.js"));
  const r = cli(["validate"], path.join(fresh, "bin", "backup-audit.js"));
  expect(r.stderr).toBe(
    `backup-audit: the CLI is not built (${path.join("dist", "cli", "index.js")} is missing) and there are no sources to build it from in ${fresh}: run \`npm ci\` in a clone of the project\n`,
  );
  expect(r.status).toBe(2);
});

test("a clone without node_modules: the build says to run npm ci, exit 1", () => {
  const fresh = path.join(work, "no-modules");
  for (const dir of ["bin", "scripts"]) mkdirSync(path.join(fresh, dir), { recursive: true });
  copyFileSync(BIN, path.join(fresh, "bin", "backup-audit.js"));
  copyFileSync(path.join(ROOT, "scripts", "incremental-build.js"), path.join(fresh, "scripts", "incremental-build.js"));
  copyFileSync(path.join(ROOT, "tsconfig.cli.json"), path.join(fresh, "tsconfig.cli.json"));
  const r = cli(["validate"], path.join(fresh, "bin", "backup-audit.js"));
  expect(r.stderr).toBe(
    `backup-audit: build cli (${path.join("dist", "cli", "index.js")} is missing)\nbackup-audit: TypeScript is not installed in ${fresh}: run \`npm ci\` there first\n`,
  );
  expect(r.status).toBe(1);
});

test("query and report run in a second process with the engine's Node options; its output and exit code come through", () => {
  const probe = path.join(work, "print-exec-argv.js");
  writeFileSync(probe, 'process.stderr.write(`execArgv ${JSON.stringify(process.execArgv)}\\n`);\n');
  const withProbe = (args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: `--require ${probe}` }, timeout: 60_000 });
  const r = withProbe(["query", "largest_backups", "--param", "1", "--reports", "/nonexistent/reports"]);
  const execArgvs = [...r.stderr.matchAll(/^execArgv (.*)$/gm)].map((m) => JSON.parse(m[1]) as string[]);
  expect(execArgvs).toEqual([[], ENGINE_NODE_OPTIONS]);
  expect(r.stderr).toContain("backup-audit query: reports folder not found: /nonexistent/reports\n");
  expect(r.status).toBe(2);
  // Other commands run in the first process.
  const other = withProbe(["--version"]);
  expect([...other.stderr.matchAll(/^execArgv (.*)$/gm)].map((m) => m[1])).toEqual(["[]"]);
  expect(other.status).toBe(0);
});
