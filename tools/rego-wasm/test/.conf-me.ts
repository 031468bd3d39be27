import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego, RegoCompileError } from "../src/index";

const root = "/work/shared/opa-conformance/v1";
function files(d: string): string[] {
  const out: string[] = [];
  for (const n of fs.readdirSync(d).sort()) {
    const p = path.join(d, n);
    if (fs.statSync(p).isDirectory()) out.push(...files(p));
    else if (n.endsWith(".yaml")) out.push(p);
  }
  return out;
}
function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = canon((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}
function sortedDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedDeep).map((x) => JSON.stringify(x)).sort().map((x) => JSON.parse(x));
  if (v && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = sortedDeep((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}
(async () => {
  const filter = process.argv[2] ?? "";
  const counts: Record<string, number> = {};
  const lines: string[] = [];
  for (const f of files(root)) {
    if (!f.includes(filter)) continue;
    const doc = YAML.parse(fs.readFileSync(f, "utf8"));
    for (const c of doc.cases ?? []) {
      const m = /^data\.([\w.]+) = x$/.exec(String(c.query).trim());
      let cls: string;
      let detail = "";
      if (!m) { cls = "Q"; detail = c.query; }
      else {
        const ep = m[1].replace(/\./g, "/");
        const mods: Record<string, string> = {};
        (c.modules ?? []).forEach((src: string, i: number) => (mods[`mod${i}.rego`] = src));
        const wantErr = c.want_error !== undefined || c.want_error_code !== undefined;
        try {
          const { wasm } = await compileRego(mods, { entrypoints: [ep] });
          const pol = await loadPolicy(wasm);
          if (c.data) pol.setData(c.data);
          let input = c.input;
          if (c.input_term !== undefined) { try { input = JSON.parse(c.input_term); } catch { counts.IT = (counts.IT ?? 0) + 1; continue; } }
          const rs = pol.evaluate(input, ep) as Array<{ result: unknown }>;
          if (wantErr) { cls = "F"; detail = `want error ${c.want_error ?? c.want_error_code}, got ${JSON.stringify(rs)}`; }
          else {
            const want = c.want_result as Array<{ x: unknown }>;
            const got = rs.length ? rs[0].result : undefined;
            const w = want.length ? want[0].x : undefined;
            const same = JSON.stringify(canon(got)) === JSON.stringify(canon(w)) || JSON.stringify(sortedDeep(got)) === JSON.stringify(sortedDeep(w));
            cls = same ? "P" : "F";
            if (!same) detail = `want ${JSON.stringify(w)} got ${JSON.stringify(got)}`;
          }
        } catch (e) {
          if (wantErr) { cls = "PE"; detail = String((e as Error).message).slice(0, 100); }
          else if (e instanceof RegoCompileError) { cls = "C"; detail = e.message.slice(0, 150); }
          else { cls = "X"; detail = String((e as Error).message).split("\n")[0].slice(0, 150); }
        }
      }
      counts[cls] = (counts[cls] ?? 0) + 1;
      if (cls !== "P" && cls !== "PE") lines.push(`${cls} ${path.relative(root, f)} :: ${c.note} :: ${detail}`);
    }
  }
  console.log(lines.join("\n"));
  console.log(JSON.stringify(counts));
})();
