#!/usr/bin/env node
// Runs the compiled CLI (dist/). In a clone, it first compiles what changed since the last build
// (scripts/incremental-build.js, the CLI's step only; one progress line on stderr, stdout stays the command's), so
// that `npm ci` is all a new user needs before the first command. An installed package ships dist/ and no sources.
"use strict";
const { existsSync } = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const entry = path.join(root, "dist", "cli", "index.js");
const builder = path.join(root, "scripts", "incremental-build.js");
if (existsSync(builder) && existsSync(path.join(root, "tsconfig.cli.json"))) {
  try {
    require(builder).ensureBuilt((line) => process.stderr.write(`${line}\n`), { steps: ["cli"] });
  } catch (err) {
    process.stderr.write(`backup-audit: ${err.message}\n`);
    process.exit(1);
  }
}
if (!existsSync(entry)) {
  process.stderr.write(
    `backup-audit: the CLI is not built (${path.relative(root, entry)} is missing) and there are no sources to build it from in ${root}: run \`npm ci\` in a clone of the project\n`,
  );
  process.exit(2);
}
// The commands that run the local engine run with its Node options (dist/queries/duckdb.js says why): V8 takes them
// only on the command line, so this process starts the command again with them, passes signals on, and exits as it
// does.
const engineOptions = ["query", "report"].includes(process.argv[2]) ? require(path.join(root, "dist", "queries", "duckdb.js")).ENGINE_NODE_OPTIONS : [];
if (!engineOptions.every((o) => process.execArgv.includes(o))) {
  const { spawn } = require("node:child_process");
  const child = spawn(process.execPath, [...process.execArgv, ...engineOptions, __filename, ...process.argv.slice(2)], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("error", (err) => {
    process.stderr.write(`backup-audit: could not start node (${err.message})\n`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => process.exit(code ?? 128 + (require("node:os").constants.signals[signal] ?? 1)));
} else {
  require(entry).runCli(process.argv);
}
