import { parseModule } from "../src/parser";
import { analyze } from "../src/analyze";
const p = analyze([parseModule("t.rego", process.argv[2])]);
for (const [k, g] of p.rules) console.log(k, JSON.stringify(g.rules.map((r) => r.body), (key, v) => (key === "loc" ? undefined : v)));
