import * as fs from "fs";
import fc from "fast-check";
import { Expr, RegoCompileError, Term } from "../src/ast";
import { parseModule } from "../src/parser";
import { analyze } from "../src/analyze";
import { tokenize } from "../src/lexer";
import { defaultSuiteFolder, suiteCases } from "../src/conformance";
import { showTerm } from "./term-text";

/** Renders a term compactly (no locations) so expectations stay readable. */
function show(t: Term): string {
  return showTerm(t, (body) => String(body.length));
}
function bodyOf(src: string): Expr[] {
  const m = parseModule("t.rego", `package t\n\np if {\n${src}\n}\n`);
  return m.rules[0].body;
}

function termOf(src: string): string {
  const e = bodyOf(src)[0];
  if (e.kind.type !== "term") throw new Error(`not a term: ${e.kind.type}`);
  return show(e.kind.term);
}

describe("lexer", () => {
  it("decodes escapes including surrogate pairs, and keeps raw strings verbatim", () => {
    const toks = tokenize("f", '"a\\n\\"b\\u00e9\\ud83d\\ude00" `x\\ny`');
    expect(toks[0].text).toBe('a\n"bé😀');
    expect(toks[1].text).toBe("x\\ny");
    expect(toks[1].raw).toBe(true);
  });

  it("tracks lines across multi-line raw strings", () => {
    const toks = tokenize("f", "x := `a\nb`\ny");
    expect(toks.map((t) => [t.text, t.loc.line, t.loc.col])).toEqual([
      ["x", 1, 1],
      [":=", 1, 3],
      ["a\nb", 1, 6],
      ["y", 3, 1],
      ["<eof>", 3, 2],
    ]);
  });

  it("keeps number literals as written and tracks newlines", () => {
    const toks = tokenize("f", "12345678901234567890 1.5e3\nx");
    expect(toks.map((t) => t.text)).toEqual(["12345678901234567890", "1.5e3", "x", "<eof>"]);
    expect(toks[2].nl).toBe(true);
    expect(toks[2].loc).toEqual({ file: "f", line: 2, col: 1 });
  });
});

describe("parseModule: module structure", () => {
  it("parses package, imports and the v1 rule forms", () => {
    const m = parseModule(
      "p.rego",
      `package policies.config
import rego.v1
import future.keywords.in
import data.lib.util as u
import input.request

default allow := false

allow if input.user == "admin"

deny contains msg if {
  some r in input.resources
  msg := sprintf("bad %s", [r.name])
}

labels[k] := v if { some k, v in input.labels }

f(x, y) := x + y

g(x) := 1 if { x > 0 } else := 2 if { x < 0 } else := 3

a.b.c := 1
`,
    );
    expect(m.package).toEqual(["policies", "config"]);
    expect(m.imports.map((i) => [i.path.join("."), i.alias])).toEqual([
      ["rego.v1", null],
      ["future.keywords.in", null],
      ["data.lib.util", "u"],
      ["input.request", null],
    ]);
    const summary = m.rules.map((r) => [r.kind, r.default, r.path.join("."), r.args?.length ?? null, r.body.length]);
    expect(summary).toEqual([
      ["complete", true, "allow", null, 0],
      ["complete", false, "allow", null, 1],
      ["set", false, "deny", null, 2],
      ["object", false, "labels", null, 1],
      ["function", false, "f", 2, 0],
      ["function", false, "g", 1, 1],
      ["complete", false, "a.b.c", null, 0],
    ]);
    expect(show(m.rules[0].value!)).toBe("false");
    expect(show(m.rules[2].key!)).toBe("msg");
    expect(show(m.rules[3].key!)).toBe("k");
    expect(show(m.rules[4].value!)).toBe("plus(x, y)");
    expect(m.rules[5].elseChain.map((e) => [show(e.value!), e.body.length])).toEqual([["2", 1], ["3", 0]]);
    expect(m.rules[2].loc).toEqual({ file: "p.rego", line: 11, col: 1 });
  });

  it("reads v1 `p[x] if` as a single-value object rule with value true", () => {
    const m = parseModule("o.rego", "package a\np[x] if { some x in input.xs }\nq.r[y] := 1 if { y := 2 }\n");
    expect(m.rules.map((r) => [r.kind, r.path.join("."), r.key && show(r.key), r.value && show(r.value)])).toEqual([
      ["object", "p", "x", null],
      ["object", "q.r", "y", "1"],
    ]);
  });

  it("parses some/every/not/with literals", () => {
    const body = bodyOf(`some x
some i, v in xs
every k, v in obj { v > k }
not input.flag
count(input.xs) > 1 with input as {"xs": [1, 2]} with data.d as 1`);
    expect(body.map((e) => e.kind.type)).toEqual(["some-decl", "some-in", "every", "term", "term"]);
    expect(body[3].negated).toBe(true);
    expect(body[4].with.map((w) => [show(w.target), show(w.value)])).toEqual([
      ["input", '{"xs": [1, 2]}'],
      ["data.d", "1"],
    ]);
    const every = body[2].kind;
    if (every.type !== "every") throw new Error("every expected");
    expect(every.body.length).toBe(1);
  });

  it("separates expressions by semicolons or newlines", () => {
    expect(bodyOf("x := 1; y := 2\nz := 3").map((e) => e.kind.type)).toEqual(["assign", "assign", "assign"]);
  });
});

describe("parseModule: terms", () => {
  it("follows OPA's operator precedence", () => {
    expect(termOf("a + b * c == d - e")).toBe("equal(plus(a, mul(b, c)), minus(d, e))");
    expect(termOf("a | b & c")).toBe("or(a, and(b, c))");
    expect(termOf("x in xs == false")).toBe("internal.member_2(x, equal(xs, false))");
    expect(termOf("k, v in obj")).toBe("internal.member_3(k, v, obj)");
    expect(termOf("-x + -1")).toBe("plus(minus(0, x), -1)");
    expect(termOf("(1, 2 in [2]) in [true]")).toBe("internal.member_2(internal.member_3(1, 2, [2]), [true])");
  });

  it("parses refs, calls and call refs", () => {
    expect(termOf('input.a.b[c]["d"][_]')).toBe("input.a.b[c].d[$_0]");
    expect(termOf("data.lib.f(x).y[0]")).toBe("data.lib.f(x).y[0]");
    expect(termOf("regex.match(`^a`, s)")).toBe('regex.match("^a", s)');
  });

  it("parses composites and comprehensions", () => {
    expect(termOf("[1, {2}, {}, set(), {\"a\": [x]}]")).toBe('[1, {2}, {}, {}, {"a": [x]}]');
    expect(termOf("[x | x := xs[_]]")).toBe("[x | 1]");
    expect(termOf("{x | some x in xs; x > 1}")).toBe("{x | 2}");
    expect(termOf("{k: v | some k, v in o}")).toBe("{k: v | 1}");
    expect(termOf("[a | b]")).toBe("[a | 1]");
    expect(termOf("[(a | b)]")).toBe("[or(a, b)]");
  });

  it("keeps contains(...) callable as the builtin outside rule heads", () => {
    expect(termOf('contains("abc", "b")')).toBe('contains("abc", "b")');
    const m = parseModule("c.rego", 'package p\nt if contains("abc", "b")\ns contains x if x := 1\n');
    expect(m.rules.map((r) => r.kind)).toEqual(["complete", "set"]);
  });

  it("gives each _ a fresh name", () => {
    expect(termOf("xs[_][_]")).toBe("xs[$_0][$_1]");
  });
});

describe("parseModule: errors name file:line:col and the construct", () => {
  const cases: Array<[string, RegExp]> = [
    ["p := 1\n", /^e\.rego:1:1: expected package declaration/],
    ["package a\np { true }\n", /^e\.rego:2:3: `if` keyword is required before a rule body/],
    ["package a\nimport foo.bar\n", /^e\.rego:2:1: unsupported import foo\.bar/],
    ["package a p := 1\n", /^e\.rego:1:11: unexpected ident "p"/],
    ["package a\np := 1 q := 2\n", /^e\.rego:2:8: unexpected ident "q"/],
    ['package a\np := $"x{1}"\n', /^e\.rego:2:6: template strings are not supported/],
    ["package a\np[x].q := 1 if { x := 1 }\n", /^e\.rego:2:3: rule head references with variables/],
    ["package a\np := 1\nimport data.x\n", /^e\.rego:3:1: imports must come before rules/],
    ["package a\np if {\n  x := \"unterminated\n}\n", /^e\.rego:3:8: unterminated string/],
    ["package a\nf(x)[1] := 2\n", /^e\.rego:2:1: rule f needs a value or a body/],
  ];
  it.each(cases)("%j", (src, re) => {
    let err: unknown;
    try {
      parseModule("e.rego", src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RegoCompileError);
    expect((err as Error).message).toMatch(re);
  });
});

describe("robustness", () => {
  const SAMPLE = `package demo
import rego.v1
import data.lib as l

default allow := false

allow if {
  some r in input.roles
  r == "admin"
  not input.blocked[_]
}

deny contains msg if {
  x := [v | some v in input.xs; v > 1]
  count(x) > 0
  msg := sprintf("bad %v", [x])
}

status := "ok" if input.ok else := "none"

f(a, [b, c]) := {k: v | some k, v in {"a": a, "b": b + c}} if every e in input.es { e != \`raw\` }
`;

  it("reports malformed input as RegoCompileError, never as a crash", () => {
    const ops = fc.oneof(
      fc.record({ at: fc.nat(), drop: fc.integer({ min: 1, max: 6 }) }),
      fc.record({ at: fc.nat(), insert: fc.constantFrom(..."([{}])=:|,;.\n _x\"\`#-+in ".split("")) }),
    );
    fc.assert(
      fc.property(fc.array(ops, { minLength: 1, maxLength: 4 }), (edits) => {
        let src = SAMPLE;
        for (const e of edits) {
          const at = e.at % (src.length + 1);
          src = "drop" in e ? src.slice(0, at) + src.slice(at + e.drop) : src.slice(0, at) + e.insert + src.slice(at);
        }
        try {
          analyze([parseModule("fuzz.rego", src)]);
        } catch (err) {
          if (!(err instanceof RegoCompileError)) throw err;
          expect(err.message).toMatch(/^fuzz\.rego:\d+:\d+: /);
        }
      }),
      { numRuns: 3000, seed: 20261123 },
    );
  });

  it("parses and analyses the unmodified sample", () => {
    const p = analyze([parseModule("s.rego", SAMPLE), parseModule("l.rego", "package lib\nx := 1")]);
    expect([...p.rules.keys()]).toEqual(["demo.allow", "demo.deny", "demo.status", "demo.f", "lib.x"]);
    expect(p.rules.get("demo.status")!.rules[0].elseChain.length).toBe(1);
  });
});

const SUITE = defaultSuiteFolder();

describe("parser over the OPA conformance corpus", () => {
  it("parses every module of every case (when the suite folder is present)", () => {
    if (!fs.existsSync(SUITE)) {
      console.warn(`conformance suite ${SUITE} absent; corpus not parsed`);
      return;
    }
    const failures: string[] = [];
    let count = 0;
    for (const { case: c } of suiteCases(SUITE)) {
      for (const [i, m] of (c.modules ?? []).entries()) {
        count++;
        try {
          parseModule(`test-${i}.rego`, m);
        } catch (e) {
          failures.push(`${c.note}: ${(e as Error).message}`);
        }
      }
    }
    expect(count).toBeGreaterThan(400);
    expect(failures).toEqual([]);
  });
});
