// The strings.* namespace: strings.reverse, strings.count, strings.split_n, strings.replace_n,
// strings.any_prefix_match, strings.any_suffix_match.
import { T_STRING, T_ARRAY, T_SET, T_OBJECT, T_NUMBER, tag, mkBool, mkColl, strLen, strPtr, collLen, arrAt, objKeyAt, objValAt } from "../value";
import { mkInt, numAsI64, numLastI64 } from "../number";
import { arrPush } from "../collections";
import { bytesCompare } from "../compare";
import { wNew, wBytes } from "../writer";
import { utf8Count, utf8SeqLen } from "../utf8";
import { findBytes, strFromWriter, rt_bi_split } from "./strings";
import { typeErr, typeErrMsg, typeErrElem } from "./mode";

@inline function isStr(v: usize): bool {
  return v != 0 && tag(v) == T_STRING;
}

export function rt_bi_strings_reverse(s: usize): usize {
  if (!isStr(s)) return typeErr("strings.reverse", 1, "string", s);
  const p = strPtr(s);
  const n = strLen(s);
  const w = wNew(n);
  // copy code points from the end
  let end = n;
  while (end > 0) {
    let start = end - 1;
    while (start > 0 && (load<u8>(p + start) & 0xc0) == 0x80) start--;
    wBytes(w, p + start, end - start);
    end = start;
  }
  return strFromWriter(w);
}

/** Non-overlapping occurrences (Go's strings.Count; an empty substring counts code points + 1). */
export function rt_bi_strings_count(s: usize, sub: usize): usize {
  if (!isStr(s)) return typeErr("strings.count", 1, "string", s);
  if (!isStr(sub)) return typeErr("strings.count", 2, "string", sub);
  const n = strLen(sub);
  if (n == 0) return mkInt(<i64>utf8Count(strPtr(s), strLen(s)) + 1);
  let c: i64 = 0;
  let from: u32 = 0;
  while (true) {
    const i = findBytes(strPtr(s), strLen(s), from, strPtr(sub), n);
    if (i < 0) break;
    c++;
    from = <u32>i + n;
  }
  return mkInt(c);
}

/**
 * strings.split_n(s, delim, n): the full split, then the first n parts (n > 0), the last |n| parts (n < 0), or
 * none (n = 0) — the semantics of OPA's conformance cases (not Go's SplitN, which keeps the remainder joined).
 */
export function rt_bi_strings_split_n(s: usize, d: usize, nv: usize): usize {
  if (!isStr(s)) return typeErr("strings.split_n", 1, "string", s);
  if (!isStr(d)) return typeErr("strings.split_n", 2, "string", d);
  if (nv == 0 || tag(nv) != T_NUMBER) return typeErr("strings.split_n", 3, "number", nv);
  if (!numAsI64(nv)) return typeErrMsg("strings.split_n", "operand 3 must be integer number but got floating-point number");
  const limit = numLastI64();
  const all = rt_bi_split(s, d);
  const total = <i64>collLen(all);
  let from: i64 = 0;
  let count: i64 = 0;
  if (limit > 0) {
    count = limit < total ? limit : total;
  } else if (limit < 0) {
    count = -limit < total ? -limit : total;
    from = total - count;
  }
  const r = mkColl(T_ARRAY, <u32>count);
  for (let i: i64 = 0; i < count; i++) arrPush(r, arrAt(all, <u32>(from + i)));
  return r;
}

/** strings.replace_n(patterns, s): one left-to-right pass; at each position the first matching key (sorted) wins. */
export function rt_bi_strings_replace_n(pats: usize, s: usize): usize {
  if (pats == 0 || tag(pats) != T_OBJECT) return typeErr("strings.replace_n", 1, "object", pats);
  if (!isStr(s)) return typeErr("strings.replace_n", 2, "string", s);
  const np = collLen(pats);
  for (let j: u32 = 0; j < np; j++) {
    if (tag(objKeyAt(pats, j)) != T_STRING || tag(objValAt(pats, j)) != T_STRING) {
      return typeErr("strings.replace_n", 1, "object[string: string]", pats);
    }
  }
  const p = strPtr(s);
  const n = strLen(s);
  const w = wNew(n + 16);
  let i: u32 = 0;
  let lit: u32 = 0;
  while (i <= n) {
    let hit = false;
    for (let j: u32 = 0; j < np && !hit; j++) {
      const k = objKeyAt(pats, j);
      const kn = strLen(k);
      if (kn == 0) continue; // an empty key would match everywhere; Go then inserts, OPA users never rely on it
      if (i + kn <= n && bytesCompare(p + i, kn, strPtr(k), kn) == 0) {
        wBytes(w, p + lit, i - lit);
        const v = objValAt(pats, j);
        wBytes(w, strPtr(v), strLen(v));
        i += kn;
        lit = i;
        hit = true;
      }
    }
    if (!hit) {
      if (i == n) break;
      i += utf8SeqLen(load<u8>(p + i));
    }
  }
  wBytes(w, p + lit, n - lit);
  return strFromWriter(w);
}

/** Validates a string / array / set of strings operand into operandOk (reporting the type error in strict mode). */
let operandOk = false;
function checkStrings(name: string, operand: i32, v: usize): void {
  operandOk = false;
  if (v == 0) return;
  const t = tag(v);
  if (t == T_STRING) {
    operandOk = true;
    return;
  }
  if (t != T_ARRAY && t != T_SET) {
    typeErr(name, operand, "one of {string, set, array}", v);
    return;
  }
  const n = collLen(v);
  for (let i: u32 = 0; i < n; i++) {
    const x = arrAt(v, i);
    if (tag(x) != T_STRING) {
      typeErrElem(name, operand, v, "string", x);
      return;
    }
  }
  operandOk = true;
}

@inline function itemCount(v: usize): u32 {
  return tag(v) == T_STRING ? 1 : collLen(v);
}
@inline function itemAt(v: usize, i: u32): usize {
  return tag(v) == T_STRING ? v : arrAt(v, i);
}

function anyAffix(name: string, search: usize, base: usize, suffix: bool): usize {
  checkStrings(name, 1, search);
  if (!operandOk) return 0;
  checkStrings(name, 2, base);
  if (!operandOk) return 0;
  const ns = itemCount(search);
  const nb = itemCount(base);
  for (let i: u32 = 0; i < ns; i++) {
    const s = itemAt(search, i);
    for (let j: u32 = 0; j < nb; j++) {
      const b = itemAt(base, j);
      const bl = strLen(b);
      const sl = strLen(s);
      if (bl > sl) continue;
      const at = suffix ? strPtr(s) + sl - bl : strPtr(s);
      if (bytesCompare(at, bl, strPtr(b), bl) == 0) return mkBool(true);
    }
  }
  return mkBool(false);
}

export function rt_bi_strings_any_prefix_match(search: usize, base: usize): usize {
  return anyAffix("strings.any_prefix_match", search, base, false);
}

export function rt_bi_strings_any_suffix_match(search: usize, base: usize): usize {
  return anyAffix("strings.any_suffix_match", search, base, true);
}
