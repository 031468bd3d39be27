#!/usr/bin/env node
// `npm run synth` and cdktf.json's app: compile what changed since the last build (scripts/incremental-build.js),
// then run the app (dist/main.js) in this process.
"use strict";
const { ensureBuilt, SYNTH_STEPS } = require("../scripts/incremental-build.js");

try {
  ensureBuilt(undefined, { steps: SYNTH_STEPS });
} catch (err) {
  process.stderr.write(`backup-audit: ${err.message}\n`);
  process.exit(1);
}
require("../dist/main.js");
