#!/usr/bin/env node
// Runs the compiled CLI (dist/, written by `npm run build`); before the first build, says so instead of a trace.
"use strict";
const { existsSync } = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const entry = path.join(root, "dist", "cli", "index.js");
if (!existsSync(entry)) {
  process.stderr.write(
    `backup-audit: the CLI is not built yet (${path.relative(root, entry)} is missing): run \`npm ci\` and \`npm run build\` in ${root} first\n`,
  );
  process.exit(2);
}
require(entry).runCli(process.argv);
