import type { Expr, Term } from "../src/ast";

/** Compact text of a term for test assertions; `showBody` renders comprehension bodies. */
export function showTerm(t: Term, showBody: (body: Expr[]) => string): string {
  const show = (x: Term): string => showTerm(x, showBody);
  switch (t.type) {
    case "null":
      return "null";
    case "boolean":
      return String(t.value);
    case "number":
      return t.raw;
    case "string":
      return JSON.stringify(t.value);
    case "var":
      return t.name;
    case "ref":
      return show(t.head) + t.path.map((p) => (p.type === "string" ? `.${p.value}` : `[${show(p)}]`)).join("");
    case "array":
      return `[${t.items.map(show).join(", ")}]`;
    case "set":
      return `{${t.items.map(show).join(", ")}}`;
    case "object":
      return `{${t.entries.map(([k, v]) => `${show(k)}: ${show(v)}`).join(", ")}}`;
    case "call":
      return `${t.operator}(${t.args.map(show).join(", ")})`;
    case "arraycomp":
      return `[${show(t.head)} | ${showBody(t.body)}]`;
    case "setcomp":
      return `{${show(t.head)} | ${showBody(t.body)}}`;
    case "objectcomp":
      return `{${show(t.key)}: ${show(t.value)} | ${showBody(t.body)}}`;
  }
}
