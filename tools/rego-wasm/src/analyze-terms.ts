/**
 * Term and expression walkers shared by the analysis passes (name resolution, safety, error locations).
 */

import { Expr, Location, Term } from "./ast";

export function patternVarNames(t: Term): string[] {
  const out: string[] = [];
  const walk = (x: Term): void => {
    if (x.type === "var") out.push(x.name);
    else if (x.type === "array") x.items.forEach(walk);
    else if (x.type === "object") x.entries.forEach(([, v]) => walk(v));
  };
  walk(t);
  return out;
}

/**
 * The terms directly inside `t`, in source order. Comprehensions contribute their head and, through
 * `bodyTerms`, the terms of their body; with `bodyTerms` null they are not entered at all.
 */
function childTerms(t: Term, bodyTerms: ((e: Expr) => Term[]) | null): Term[] {
  switch (t.type) {
    case "ref":
      return [t.head, ...t.path];
    case "array":
    case "set":
      return t.items;
    case "object":
      return t.entries.flat();
    case "call":
      return t.args;
    case "arraycomp":
    case "setcomp":
      return bodyTerms ? [t.head, ...t.body.flatMap(bodyTerms)] : [];
    case "objectcomp":
      return bodyTerms ? [t.key, t.value, ...t.body.flatMap(bodyTerms)] : [];
    default:
      return [];
  }
}

/** Var names occurring in a term; `deep` also enters comprehensions. Ref heads count, operators don't. */
export function termVarNames(t: Term, deep: boolean): string[] {
  const out: string[] = [];
  const walk = (x: Term): void => {
    if (x.type === "var") out.push(x.name);
    childTerms(x, deep ? exprTermsDeep : null).forEach(walk);
  };
  walk(t);
  return out;
}

/** Terms of an expression evaluated in the expression's own scope (not every's body). */
export function exprTerms(e: Expr): Term[] {
  const k = e.kind;
  const out: Term[] = [];
  switch (k.type) {
    case "term":
      out.push(k.term);
      break;
    case "unify":
    case "assign":
      out.push(k.left, k.right);
      break;
    case "some-decl":
      break;
    case "some-in":
      if (k.key) out.push(k.key);
      out.push(k.value, k.collection);
      break;
    case "every":
      out.push(k.collection);
      break;
  }
  for (const w of e.with) out.push(w.target, w.value);
  return out;
}

/** Like exprTerms, plus the terms of `every` bodies nested in the expression (for closure free vars). */
export function exprTermsDeep(e: Expr): Term[] {
  const out = exprTerms(e);
  if (e.kind.type === "every") for (const b of e.kind.body) out.push(...exprTermsDeep(b));
  return out;
}


export function forEachClosure(t: Term, f: (c: Term) => void): void {
  switch (t.type) {
    case "ref":
      forEachClosure(t.head, f);
      t.path.forEach((p) => forEachClosure(p, f));
      break;
    case "array":
    case "set":
      t.items.forEach((i) => forEachClosure(i, f));
      break;
    case "object":
      t.entries.forEach(([k, v]) => {
        forEachClosure(k, f);
        forEachClosure(v, f);
      });
      break;
    case "call":
      t.args.forEach((a) => forEachClosure(a, f));
      break;
    case "arraycomp":
    case "setcomp":
    case "objectcomp":
      f(t);
      break;
    default:
      break;
  }
}


export function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}

export function display(v: string): string {
  if (v.startsWith("$_")) return "_";
  const i = v.indexOf("$");
  return i > 0 ? v.slice(0, i) : v;
}

export function isGround(t: Term): boolean {
  switch (t.type) {
    case "null":
    case "boolean":
    case "number":
    case "string":
      return true;
    case "array":
    case "set":
      return t.items.every(isGround);
    case "object":
      return t.entries.every(([k, v]) => isGround(k) && isGround(v));
    default:
      return false;
  }
}

export function groundKey(t: Term): string {
  switch (t.type) {
    case "null":
      return "null";
    case "boolean":
      return String(t.value);
    case "number":
      return `n:${Number(t.raw)}`;
    case "string":
      return `s:${t.value}`;
    default:
      return `c:${JSON.stringify(t, (k, v) => (k === "loc" ? undefined : v))}`;
  }
}

export function findVarLoc(t: Term, v: string): Location | null {
  let found: Location | null = null;
  const walk = (x: Term): void => {
    if (found) return;
    if (x.type === "var" && x.name === v) found = x.loc;
    else childTerms(x, exprTerms).forEach(walk);
  };
  walk(t);
  return found;
}

export function findVarLocInExpr(e: Expr, v: string): Location | null {
  for (const t of exprTerms(e)) {
    const l = findVarLoc(t, v);
    if (l) return l;
  }
  if (e.kind.type === "every") {
    for (const b of e.kind.body) {
      const l = findVarLocInExpr(b, v);
      if (l) return l;
    }
  }
  return null;
}

export function describeTerm(t: Term): string {
  switch (t.type) {
    case "var":
      return t.name;
    case "ref":
      return `${describeTerm(t.head)}${t.path.map((p) => (p.type === "string" ? `.${p.value}` : "[...]")).join("")}`;
    case "call":
      return `${t.operator}(...)`;
    default:
      return t.type;
  }
}
