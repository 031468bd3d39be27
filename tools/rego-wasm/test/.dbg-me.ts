import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index";
(async () => {
  const [src, ep, input, data] = process.argv.slice(2);
  const { wasm } = await compileRego({ "t.rego": src }, { entrypoints: [ep] });
  if (process.env.WAT) { const b = (await import("binaryen")).default; const m = b.readBinary(wasm); console.log(m.emitText().split("\n").filter(l=>true).join("\n").slice(-Number(process.env.WAT))); }
  const p = await loadPolicy(wasm);
  if (data) p.setData(JSON.parse(data));
  console.log(JSON.stringify(p.evaluate(input ? JSON.parse(input) : undefined, ep)));
})().catch((e) => { console.error("ERR", e); });
