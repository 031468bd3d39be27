/**
 * Rejects recursive rules (OPA's rego_recursion_error): the planner inlines/memoises rules per evaluation and
 * would loop forever on a cycle. Dependencies are the rule groups a rule's terms can reach through constant
 * `data` ref prefixes (a ref stopping above a rule, such as `data.a`, depends on every rule below it) and
 * user function calls.
 */

import { Expr, RegoCompileError, Term } from "./ast";
import { Program, RuleGroup } from "./program";

export function checkRecursion(program: Program): void {
  const deps = new Map<string, Set<string>>();
  for (const g of program.rules.values()) {
    const out = new Set<string>();
    const addPath = (path: string[]): void => {
      for (const other of program.rules.values()) {
        const n = Math.min(other.path.length, path.length);
        let same = true;
        for (let i = 0; i < n; i++) if (other.path[i] !== path[i]) same = false;
        if (same) out.add(other.key);
      }
    };
    const visitTerm = (t: Term): void => {
      switch (t.type) {
        case "ref": {
          if (t.head.type === "var" && t.head.name === "data") {
            const prefix: string[] = [];
            for (const p of t.path) {
              // Data keys are strings; a number key selects the same-named key, a var any key below.
              if (p.type === "string") prefix.push(p.value);
              else if (p.type === "number") prefix.push(p.raw);
              else break;
            }
            addPath(prefix);
          } else visitTerm(t.head);
          t.path.forEach(visitTerm);
          break;
        }
        case "call":
          if (t.operator.startsWith("data.")) out.add(t.operator.slice(5));
          t.args.forEach(visitTerm);
          break;
        case "array":
        case "set":
          t.items.forEach(visitTerm);
          break;
        case "object":
          t.entries.forEach(([k, v]) => {
            visitTerm(k);
            visitTerm(v);
          });
          break;
        case "arraycomp":
        case "setcomp":
          visitTerm(t.head);
          t.body.forEach(visitExpr);
          break;
        case "objectcomp":
          visitTerm(t.key);
          visitTerm(t.value);
          t.body.forEach(visitExpr);
          break;
        default:
          break;
      }
    };
    const visitExpr = (e: Expr): void => {
      const k = e.kind;
      switch (k.type) {
        case "term":
          visitTerm(k.term);
          break;
        case "unify":
        case "assign":
          visitTerm(k.left);
          visitTerm(k.right);
          break;
        case "some-in":
          visitTerm(k.collection);
          break;
        case "every":
          visitTerm(k.collection);
          k.body.forEach(visitExpr);
          break;
        default:
          break;
      }
      for (const w of e.with) visitTerm(w.value);
    };
    const all = [...g.rules, ...(g.defaultRule ? [g.defaultRule] : [])];
    for (const r of all) {
      for (const t of [r.key, r.value, ...(r.args ?? [])]) if (t) visitTerm(t);
      r.body.forEach(visitExpr);
      for (const e of r.elseChain) {
        if (e.value) visitTerm(e.value);
        e.body.forEach(visitExpr);
      }
    }
    deps.set(g.key, out);
  }
  // Depth-first search for a cycle.
  const state = new Map<string, number>(); // 1 visiting, 2 done
  const stack: string[] = [];
  const visit = (k: string): void => {
    state.set(k, 1);
    stack.push(k);
    for (const d of deps.get(k) ?? []) {
      const s = state.get(d);
      if (s === 1) {
        const cycle = [...stack.slice(stack.indexOf(d)), d].map((x) => `data.${x}`).join(" -> ");
        const g = program.rules.get(d) as RuleGroup;
        const loc = (g.rules[0] ?? g.defaultRule)!.loc;
        throw new RegoCompileError(loc, `rego_recursion_error: rule data.${d} is recursive: ${cycle}`);
      }
      if (s === undefined) visit(d);
    }
    stack.pop();
    state.set(k, 2);
  };
  for (const k of deps.keys()) if (!state.has(k)) visit(k);
}
