#!/usr/bin/env node
// Runs the compiled Rego → WebAssembly compiler CLI (npm run build writes dist/).
require("../dist/tools/rego-wasm/src/cli.js").main(process.argv.slice(2)).then((code) => process.exit(code));
