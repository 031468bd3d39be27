/**
 * Property test: one compiled policy (iteration, `not`, `every`, comprehensions, functions, partial objects)
 * against a plain-JS statement of the same checks, over random inputs (fast-check), through the SDK.
 */
import fc from "fast-check";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index";

const POLICY = `package f
import rego.v1

big contains x.id if { some x in input.items; x.n > input.t }
pairs := count([1 | some a in input.items; some b in input.items; a.id < b.id; a.n == b.n])
no_neg if { every x in input.items { x.n >= 0 } }
missing contains id if { some id in input.want; not has_id(id) }
has_id(id) if { some x in input.items; x.id == id }
total := sum([x.n | some x in input.items])
grouped[k] := ids if {
  some x in input.items
  k := format_int(x.n, 10)
  ids := {y.id | some y in input.items; y.n == x.n}
}
`;

interface Item {
  id: string;
  n: number;
}

interface Input {
  items: Item[];
  t: number;
  want: string[];
}

function reference(input: Input): Record<string, unknown> {
  const { items, t, want } = input;
  const uniq = (xs: string[]): string[] => [...new Set(xs)].sort();
  let pairs = 0;
  for (const a of items) for (const b of items) if (a.id < b.id && a.n === b.n) pairs++;
  const grouped: Record<string, string[]> = {};
  for (const x of items) grouped[String(x.n)] = uniq(items.filter((y) => y.n === x.n).map((y) => y.id));
  const out: Record<string, unknown> = {
    big: uniq(items.filter((x) => x.n > t).map((x) => x.id)),
    grouped,
    missing: uniq(want.filter((id) => !items.some((x) => x.id === id))),
    pairs,
    total: items.reduce((s, x) => s + x.n, 0),
  };
  if (items.every((x) => x.n >= 0)) out.no_neg = true;
  return out;
}

test("compiled policy agrees with the JS reference on random inputs", async () => {
  const { wasm } = await compileRego({ "f.rego": POLICY }, { entrypoints: ["f"] });
  const policy = await loadPolicy(wasm);
  const id = fc.constantFrom("a", "b", "c", "d", "e");
  const input = fc.record({
    // ids may repeat: the set semantics of `big`/`missing` and the pairwise count must still agree
    items: fc.array(fc.record({ id, n: fc.integer({ min: -3, max: 5 }) }), { maxLength: 8 }),
    t: fc.integer({ min: -2, max: 4 }),
    want: fc.array(id, { maxLength: 4 }),
  });
  fc.assert(
    fc.property(input, (inp) => {
      const rs = policy.evaluate(inp, "f") as Array<{ result: Record<string, unknown> }>;
      expect(rs).toHaveLength(1);
      expect(rs[0].result).toEqual(reference(inp));
    }),
    { numRuns: 200 },
  );
});
