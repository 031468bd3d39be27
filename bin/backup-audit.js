#!/usr/bin/env node
// Runs the compiled CLI (npm run build writes dist/).
const { buildProgram } = require("../dist/cli/index.js");
buildProgram().parseAsync(process.argv).catch((err) => {
  process.stderr.write(`backup-audit: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
