// Property tests of runtime.wasm against JS reference implementations: JSON round trips, Rego's total order,
// exact integer arithmetic (vs BigInt) and float formatting (vs JS's shortest form).
import fc from "fast-check";
import { buildRuntime, loadRuntime, Runtime, num } from "./runtime-harness";

beforeAll(() => buildRuntime(), 120000);

let rt: Runtime;
let base = 0;
beforeAll(() => {
  rt = loadRuntime();
  base = rt.x.opa_heap_ptr_get();
});
// every property run starts from the same heap pointer, as evaluations do
beforeEach(() => rt.x.opa_heap_ptr_set(base));
const fresh = () => rt.x.opa_heap_ptr_set(base);

/**
 * JSON text with object keys sorted by UTF-8 bytes, recursively (what the runtime dumps). Written out by hand:
 * a JS object would put integer-like keys ("0") first whatever the insertion order.
 */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

const jsonValue = fc.jsonValue({ maxDepth: 4 });

test("JSON parse → dump equals JS's JSON with keys sorted", () => {
  fc.assert(
    fc.property(jsonValue, (v) => {
      fresh();
      const text = JSON.stringify(v);
      const out = rt.dump(rt.parse(text));
      expect(out).toBe(canonical(JSON.parse(text)));
    }),
    { numRuns: 300 },
  );
});

/** Reference Rego order for JSON values (no sets). */
function regoCompare(a: unknown, b: unknown): number {
  const rank = (x: unknown) =>
    x === null ? 0 : typeof x === "boolean" ? 1 : typeof x === "number" ? 2 : typeof x === "string" ? 3 : Array.isArray(x) ? 4 : 5;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return Math.sign(ra - rb);
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return Math.sign(Number(a) - Number(b));
    case 2:
      return a === b ? 0 : (a as number) < (b as number) ? -1 : 1;
    case 3:
      return Math.sign(Buffer.compare(Buffer.from(a as string), Buffer.from(b as string)));
    case 4: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = regoCompare(x[i], y[i]);
        if (c !== 0) return c;
      }
      return Math.sign(x.length - y.length);
    }
    default: {
      const sorted = (o: Record<string, unknown>) =>
        Object.keys(o).sort((p, q) => Buffer.compare(Buffer.from(p), Buffer.from(q)));
      const x = a as Record<string, unknown>;
      const y = b as Record<string, unknown>;
      const kx = sorted(x);
      const ky = sorted(y);
      for (let i = 0; i < Math.min(kx.length, ky.length); i++) {
        const c = regoCompare(kx[i], ky[i]);
        if (c !== 0) return c;
        const d = regoCompare(x[kx[i]], y[ky[i]]);
        if (d !== 0) return d;
      }
      return Math.sign(kx.length - ky.length);
    }
  }
}

test("rt_compare agrees with the reference Rego order", () => {
  const small = fc.jsonValue({ maxDepth: 2 });
  fc.assert(
    fc.property(small, small, (a, b) => {
      fresh();
      // round-trip through JSON so -0 and 0 are the same value on both sides
      const ja = JSON.parse(JSON.stringify(a));
      const jb = JSON.parse(JSON.stringify(b));
      expect(rt.call("rt_compare", ja, jb)).toBe(regoCompare(ja, jb));
      expect(rt.call("rt_compare", jb, ja)).toBe(regoCompare(jb, ja));
    }),
    { numRuns: 500 },
  );
});

test("integer + − × are exact at any size (vs BigInt)", () => {
  const big = fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n });
  fc.assert(
    fc.property(big, big, (a, b) => {
      fresh();
      const A = num(a.toString());
      const B = num(b.toString());
      expect(rt.bi("rt_bi_plus", A, B)).toBe((a + b).toString());
      expect(rt.bi("rt_bi_minus", A, B)).toBe((a - b).toString());
      expect(rt.bi("rt_bi_mul", A, B)).toBe((a * b).toString());
      expect(rt.call("rt_compare", A, B)).toBe(a < b ? -1 : a > b ? 1 : 0);
    }),
    { numRuns: 300 },
  );
});

test("i64 boundary arithmetic switches to exact big integers", () => {
  const edge = fc.constantFrom(
    9223372036854775807n, -9223372036854775808n, 9223372036854775806n, -9223372036854775807n, 4294967296n, 3037000500n,
    -3037000500n, 1n, -1n, 0n,
  );
  fc.assert(
    fc.property(edge, edge, (a, b) => {
      fresh();
      expect(rt.bi("rt_bi_plus", num(a.toString()), num(b.toString()))).toBe((a + b).toString());
      expect(rt.bi("rt_bi_minus", num(a.toString()), num(b.toString()))).toBe((a - b).toString());
      expect(rt.bi("rt_bi_mul", num(a.toString()), num(b.toString()))).toBe((a * b).toString());
    }),
  );
});

test("decimal literals parse to the correctly rounded double (vs JS)", () => {
  const d = fc.double({ noNaN: true, noDefaultInfinity: true });
  const digits = fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 25n }), fc.integer({ min: -340, max: 300 }));
  fc.assert(
    fc.property(d, digits, (x, [m, e]) => {
      fresh();
      for (const text of [JSON.stringify(x), `${m}e${e}`, `0.${m}`, `-${m}.${m}e${e}`]) {
        const want = Number(text);
        if (!Number.isFinite(want)) continue;
        // adding 0.5 and subtracting it again would round; multiply by 1 through the float path instead
        const got = rt.bi("rt_bi_mul", num(text), num("1.0"))!;
        expect([text, Number(got)]).toEqual([text, want === 0 ? 0 : want]);
      }
    }),
    { numRuns: 400 },
  );
});

test("float results print in JS's shortest round-trip form", () => {
  const d = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 });
  fc.assert(
    fc.property(d, d, (a, b) => {
      fresh();
      const sum = a + b;
      if (!Number.isFinite(sum)) return;
      const got = rt.bi("rt_bi_plus", num(JSON.stringify(a)), num(JSON.stringify(b)))!;
      expect(Number(got)).toBe(sum === 0 ? 0 : sum);
      if (!Number.isInteger(sum)) expect(got).toBe(String(sum));
    }),
    // 1775840367175497.25 exactly: 17 digits end in an exact tie; JS (and Go) print the even neighbour .2.
    { numRuns: 500, examples: [[0, 1775840367175497.2]] },
  );
});

describe("strings are UTF-8 measured in code points", () => {
  // full Unicode, astral planes included (JS strings are UTF-16, so their own order and length differ)
  const str = fc.string({ unit: "binary", maxLength: 12 });

  test("order is code-point (= UTF-8 byte) order; count and indexof count code points", () => {
    fc.assert(
      fc.property(str, str, (a, b) => {
        fresh();
        expect(rt.call("rt_compare", a, b)).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
        expect(rt.bi("rt_bi_count", a)).toBe(String([...a].length));
        const hay = a + b;
        const i = hay.indexOf(b);
        expect(rt.bi("rt_bi_indexof", hay, b)).toBe(String([...hay.slice(0, i)].length));
      }),
      { numRuns: 300 },
    );
  });

  test("substring(s, start, len) slices code points", () => {
    fc.assert(
      fc.property(str, fc.nat(14), fc.integer({ min: -1, max: 14 }), (s, start, len) => {
        fresh();
        const cps = [...s];
        const want = start >= cps.length ? "" : cps.slice(start, len < 0 ? undefined : start + len).join("");
        expect(rt.bi("rt_bi_substring", s, start, len)).toBe(JSON.stringify(want));
      }),
      { numRuns: 300 },
    );
  });

  test("JSON string round trip for any Unicode text", () => {
    fc.assert(
      fc.property(str, (s) => {
        fresh();
        expect(JSON.parse(rt.dump(rt.parse(JSON.stringify(s)))!)).toBe(s);
      }),
      { numRuns: 300 },
    );
  });
});
