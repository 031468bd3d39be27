import * as fs from "fs";
(async () => {
  const b = (await import("binaryen")).default;
  const m = b.readBinary(new Uint8Array(fs.readFileSync("tools/rego-wasm/build/runtime.wasm")));
  const t = m.emitText();
  console.log(t.split("\n").filter((l) => /\(memory|\(data|\(import/.test(l)).map((l) => l.slice(0, 120)).join("\n"));
  console.log(m.validate());
})();
