// The build that `npm run synth` and `cdktf synth` run before the app, and bin/backup-audit.js before the CLI:
// each step runs only when one of its inputs is newer than what it last produced (make-style, by modification
// time), so that a run without a source change starts at once instead of spending ~10 s in tsc. Plain
// JavaScript: it runs before anything is compiled. `npm run build` stays the full build (tests, bench, type check
// of everything).
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const STAMP_DIR = path.join(ROOT, "dist", ".build-stamps");
// Read at run time, never compiled: a rebuilt policy module must not trigger a TypeScript build.
const NOT_INPUTS = new Set([path.join(ROOT, "policies", "build")]);

/**
 * Newest modification time under the given paths (files or folders, files named directly always count, files
 * found in folders when their name matches), skipping build output and vendored code.
 */
function newestInput(paths, match) {
  let newest = 0;
  let newestFile = null;
  const visit = (p, direct) => {
    let stat;
    try {
      stat = fs.statSync(p);
    } catch {
      return; // an input that does not exist (yet) changes nothing
    }
    if (stat.isDirectory()) {
      if (NOT_INPUTS.has(p)) return;
      for (const name of fs.readdirSync(p)) {
        if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
        visit(path.join(p, name), false);
      }
    } else if ((direct || match.test(p)) && stat.mtimeMs > newest) {
      newest = stat.mtimeMs;
      newestFile = p;
    }
  };
  for (const p of paths) visit(path.join(ROOT, p), true);
  return { mtimeMs: newest, file: newestFile };
}

function mtimeOf(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/**
 * The steps, in order. `inputs`: what the step reads; `outputs`: what must exist afterwards; `alsoFresh`: files
 * another build writes with the same effect (tsc's build info from `npm run build`), so that a full build counts.
 */
const STEPS = [
  {
    name: "tsc",
    inputs: ["tsconfig.json", "tsconfig.app.json", "package-lock.json", "main.ts", "alerts", "app", "cli", "config", "lambdas", "policies", "rehearsal", "reports", "queries", "scripts", "stacks"],
    // TypeScript and the JSON it imports; Rego, SQL and built policies are read at run time, not compiled.
    match: /\.(ts|json)$/,
    outputs: ["dist/main.js", "dist/scripts/bundle-partitioner.js", "dist/scripts/bundle-job-alerts.js"],
    alsoFresh: ["dist/.tsbuildinfo"],
    command: () => [process.execPath, [tscPath(), "-p", "tsconfig.app.json"]],
  },
  {
    name: "lambda",
    inputs: ["alerts", "lambdas", "scripts/bundle-partitioner.ts", "scripts/bundle-job-alerts.ts", "package-lock.json"],
    match: /\.(ts|js|json)$/,
    outputs: ["lambdas/partitioner/dist/partitioner.zip", "lambdas/job-alerts/dist/job-alerts.zip"],
    alsoFresh: [],
    command: () => ["npm", ["run", "--silent", "build:lambda"]],
  },
  {
    // The CLI's own program (tsconfig.cli.json): synth does not pay for the report page and the query engine.
    name: "cli",
    inputs: ["tsconfig.json", "tsconfig.cli.json", "package-lock.json", "alerts", "app", "cli", "config", "dashboard", "lambdas", "policies", "reports", "queries", "stacks"],
    match: /\.(ts|json)$/,
    outputs: ["dist/cli/index.js"],
    alsoFresh: ["dist/.tsbuildinfo"],
    command: () => [process.execPath, [tscPath(), "-p", "tsconfig.cli.json"]],
  },
];

/** What `npm run synth` builds: the app and the Lambda packages it zips. */
const SYNTH_STEPS = ["tsc", "lambda"];

/** Resolved when a step runs, so that a clone without node_modules gets this message rather than a trace. */
function tscPath() {
  try {
    return require.resolve("typescript/bin/tsc", { paths: [ROOT] });
  } catch {
    throw new Error(`TypeScript is not installed in ${ROOT}: run \`npm ci\` there first`);
  }
}

function stampFile(step) {
  return path.join(STAMP_DIR, step.name);
}

/** Why the step must run, or null when it is up to date. */
function staleReason(step) {
  const missing = step.outputs.find((o) => mtimeOf(path.join(ROOT, o)) === null);
  if (missing) return `${missing} is missing`;
  const built = Math.max(
    mtimeOf(stampFile(step)) ?? 0,
    ...step.alsoFresh.map((f) => mtimeOf(path.join(ROOT, f)) ?? 0),
  );
  const newest = newestInput(step.inputs, step.match);
  if (newest.mtimeMs > built) return `${path.relative(ROOT, newest.file)} changed`;
  return null;
}

/**
 * Runs the stale steps among `steps` (names; default every step), one progress line each; returns the names of
 * the steps that ran. Throws when a step fails.
 */
function ensureBuilt(log = (line) => process.stdout.write(`${line}\n`), { steps = STEPS.map((s) => s.name) } = {}) {
  const ran = [];
  for (const step of STEPS.filter((s) => steps.includes(s.name))) {
    const reason = staleReason(step);
    if (reason === null) continue;
    log(`backup-audit: build ${step.name} (${reason})`);
    // The stamp is taken before the step: an input edited while it runs is seen by the next run.
    const started = new Date();
    const [command, args] = step.command();
    // A step that succeeds printed progress (the bundler's size line): it goes where the caller's progress goes
    // (synth: stdout; the CLI: stderr, its stdout being the command's report). A step that fails printed
    // problems (compiler errors): stderr.
    const result = spawnSync(command, args, {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      shell: process.platform === "win32",
    });
    if (result.status === 0) {
      for (const line of `${result.stdout ?? ""}${result.stderr ?? ""}`.split("\n")) if (line.trim()) log(line);
    } else {
      process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
      const err = new Error(`build step ${step.name} failed (exit ${result.status ?? result.signal}): fix the errors above and run again`);
      err.buildFailed = true;
      throw err;
    }
    fs.mkdirSync(STAMP_DIR, { recursive: true });
    fs.writeFileSync(stampFile(step), "");
    fs.utimesSync(stampFile(step), started, started);
    ran.push(step.name);
  }
  return ran;
}

module.exports = { ensureBuilt, staleReason, STEPS, SYNTH_STEPS };

if (require.main === module) {
  try {
    ensureBuilt(undefined, { steps: SYNTH_STEPS });
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
