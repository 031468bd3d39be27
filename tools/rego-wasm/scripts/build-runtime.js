#!/usr/bin/env node
// Compiles the AssemblyScript runtime (tools/rego-wasm/runtime) to tools/rego-wasm/build/runtime.wasm.
// Skips the compile when a hash of the sources, the compiler version and the flags matches the last build.
// Prints exactly one line. Plain CommonJS so it runs from a clean clone right after `npm ci`.
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");

const root = path.resolve(__dirname, "..");
const srcDir = path.join(root, "runtime");
const outDir = path.join(root, "build");
const outFile = path.join(outDir, "runtime.wasm");
const hashFile = path.join(outDir, "runtime.hash");

// --runtime stub: the runtime never allocates managed objects (it has its own bump heap on raw memory), so no GC
// code is linked. Memory is imported (the SDK creates it); asc's `abort` goes to our own function because the SDK
// does not provide env.abort.
const ASC_FLAGS = [
  "index.ts",
  "--runtime", "stub",
  "--importMemory",
  "--initialMemory", "2",
  "--noExportMemory",
  "--use", "abort=errors/asAbort",
  "-O3",
  "--noAssert",
];

function listSources(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listSources(p));
    else if (e.name.endsWith(".ts") || e.name.endsWith(".json")) out.push(p);
  }
  return out.sort();
}

function sourceHash() {
  const h = crypto.createHash("sha256");
  h.update(require("assemblyscript/package.json").version);
  h.update(JSON.stringify(ASC_FLAGS));
  h.update(fs.readFileSync(__filename));
  for (const f of listSources(srcDir)) {
    h.update(path.relative(srcDir, f));
    h.update(fs.readFileSync(f));
  }
  return h.digest("hex").slice(0, 16);
}

/**
 * Adds the immutable exported global `rt_data_base`: the first 8-aligned byte after the runtime's own static data,
 * where the code generator places the policy's data segment. asc cannot export it as a constant itself
 * (`__heap_base` is only known after layout), so it is computed from the data segments here.
 */
function addDataBase(binaryen, bytes) {
  const m = binaryen.readBinary(bytes);
  try {
    // the features asc 0.28 emits by default; the code generator must enable the same set
    const F = binaryen.Features;
    m.setFeatures(F.MVP | F.MutableGlobals | F.SignExt | F.NontrappingFPToInt | F.BulkMemory | F.BulkMemoryOpt);
    let end = 0;
    const n = m.getNumDataSegments();
    for (let i = 0; i < n; i++) {
      const seg = m.getDataSegmentByIndex(i);
      const info = m.getDataSegmentInfo(seg);
      const len = info.data.byteLength;
      if (!info.passive && info.offset + len > end) end = info.offset + len;
    }
    end = (end + 7) & ~7;
    if (end < 1024) end = 1024;
    m.addGlobal("rt_data_base", binaryen.i32, false, m.i32.const(end));
    m.addGlobalExport("rt_data_base", "rt_data_base");
    if (!m.validate()) throw new Error("runtime.wasm does not validate after adding rt_data_base");
    return { wasm: m.emitBinary(), dataBase: end };
  } finally {
    m.dispose();
  }
}

async function main() {
  const t0 = Date.now();
  const hash = sourceHash();
  if (fs.existsSync(outFile) && fs.existsSync(hashFile) && fs.readFileSync(hashFile, "utf8").trim() === hash) {
    console.log(`runtime.wasm up to date (${hash}, ${fs.statSync(outFile).size} bytes)`);
    return;
  }
  const asc = await import("assemblyscript/asc");
  let stderr = "";
  const result = await asc.main([...ASC_FLAGS, "--outFile", "runtime.wasm", "--baseDir", srcDir], {
    readFile: (name, baseDir) => {
      const p = path.resolve(baseDir, name);
      return fs.existsSync(p) ? fs.readFileSync(p, "utf8") : null;
    },
    writeFile: () => {},
    listFiles: (dirname, baseDir) => fs.readdirSync(path.resolve(baseDir, dirname)),
    stdout: { write: () => true },
    stderr: { write: (s) => { stderr += s; return true; } },
    // keep the binary in memory; it is post-processed before being written
    ...captureOutput(),
  });
  if (result.error) {
    process.stderr.write(stderr);
    console.log(`runtime.wasm: compile failed: ${result.error.message}`);
    process.exitCode = 1;
    return;
  }
  const bytes = captured.get("runtime.wasm");
  if (!bytes) throw new Error("asc produced no runtime.wasm");
  const binaryen = (await import("binaryen")).default;
  const { wasm, dataBase } = addDataBase(binaryen, bytes);
  fs.mkdirSync(outDir, { recursive: true });
  // write-then-rename: tests running in parallel never see a half-written file
  const tmp = `${outFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, wasm);
  fs.renameSync(tmp, outFile);
  fs.writeFileSync(hashFile, hash + "\n");
  console.log(`runtime.wasm built in ${((Date.now() - t0) / 1000).toFixed(1)} s (${wasm.byteLength} bytes, rt_data_base ${dataBase})`);
}

const captured = new Map();
function captureOutput() {
  return {
    writeFile: (name, contents) => {
      captured.set(path.basename(name), contents);
    },
  };
}

main().catch((e) => {
  console.log(`runtime.wasm: build failed: ${e && e.message ? e.message : e}`);
  process.exitCode = 1;
});
