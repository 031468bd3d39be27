// String builtins. Strings are UTF-8; positions and lengths are in code points, like OPA.
import { T_STRING, T_ARRAY, T_SET, T_NUMBER, T_BOOLEAN, T_NULL, tag, mkBool, mkStrRef, mkStrCopy, mkColl, strLen, strPtr, collLen, arrAt, boolOf } from "../value";
import { mkInt, parseNumber, numAsI64, numLastI64, numF64 } from "../number";
import { arrPush } from "../collections";
import { wNew, wBytes, wByte, wPtr, wLen, wReserve, wAdvance } from "../writer";
import { utf8Count, utf8Offset, utf8SeqLen, utf8Decode } from "../utf8";
import { utf8Encode } from "../json-parse";
import { bytesCompare } from "../compare";
import { typeErr, typeErrElem, builtinErr } from "./mode";
import { hexDigit } from "../json-dump";

@inline function isStr(v: usize): bool {
  return v != 0 && tag(v) == T_STRING;
}

/** Byte index of needle in [h, h+hn) from byte `from`, or -1. */
export function findBytes(h: usize, hn: u32, from: u32, n: usize, nn: u32): i32 {
  if (nn == 0) return <i32>from;
  if (nn > hn) return -1;
  const first = load<u8>(n);
  for (let i = from; i + nn <= hn; i++) {
    if (load<u8>(h + i) == first && bytesCompare(h + i, nn, n, nn) == 0) return <i32>i;
  }
  return -1;
}

/** A string value from writer contents. */
export function strFromWriter(w: usize): usize {
  return mkStrRef(wPtr(w), wLen(w));
}

export function rt_bi_startswith(s: usize, p: usize): usize {
  if (!isStr(s)) return typeErr("startswith", 1, "string", s);
  if (!isStr(p)) return typeErr("startswith", 2, "string", p);
  const n = strLen(p);
  return mkBool(n <= strLen(s) && bytesCompare(strPtr(s), n, strPtr(p), n) == 0);
}

export function rt_bi_endswith(s: usize, p: usize): usize {
  if (!isStr(s)) return typeErr("endswith", 1, "string", s);
  if (!isStr(p)) return typeErr("endswith", 2, "string", p);
  const n = strLen(p);
  const m = strLen(s);
  return mkBool(n <= m && bytesCompare(strPtr(s) + m - n, n, strPtr(p), n) == 0);
}

export function rt_bi_contains(s: usize, p: usize): usize {
  if (!isStr(s)) return typeErr("contains", 1, "string", s);
  if (!isStr(p)) return typeErr("contains", 2, "string", p);
  return mkBool(findBytes(strPtr(s), strLen(s), 0, strPtr(p), strLen(p)) >= 0);
}

/** Code-point index of the first occurrence, or -1. */
export function rt_bi_indexof(s: usize, p: usize): usize {
  if (!isStr(s)) return typeErr("indexof", 1, "string", s);
  if (!isStr(p)) return typeErr("indexof", 2, "string", p);
  const i = findBytes(strPtr(s), strLen(s), 0, strPtr(p), strLen(p));
  return mkInt(i < 0 ? -1 : <i64>utf8Count(strPtr(s), <u32>i));
}

/** All code-point indices of needle (non-overlapping search restarts one code point later, like OPA). */
export function rt_bi_indexof_n(s: usize, p: usize): usize {
  if (!isStr(s)) return typeErr("indexof_n", 1, "string", s);
  if (!isStr(p)) return typeErr("indexof_n", 2, "string", p);
  const r = mkColl(T_ARRAY, 4);
  let from: u32 = 0;
  const hn = strLen(s);
  while (from <= hn) {
    const i = findBytes(strPtr(s), hn, from, strPtr(p), strLen(p));
    if (i < 0) break;
    arrPush(r, mkInt(utf8Count(strPtr(s), <u32>i)));
    from = <u32>i + (i < <i32>hn ? utf8SeqLen(load<u8>(strPtr(s) + i)) : 1);
  }
  return r;
}

/** Joins the strings of an array (in order) or set (sorted) with the delimiter. */
export function rt_bi_concat(d: usize, c: usize): usize {
  if (!isStr(d)) return typeErr("concat", 1, "string", d);
  if (c == 0 || (tag(c) != T_ARRAY && tag(c) != T_SET)) return typeErr("concat", 2, "one of {array, set}", c);
  const n = collLen(c);
  const w = wNew(64);
  for (let i: u32 = 0; i < n; i++) {
    const x = arrAt(c, i);
    if (tag(x) != T_STRING) return typeErrElem("concat", 2, c, "string", x);
    if (i > 0) wBytes(w, strPtr(d), strLen(d));
    wBytes(w, strPtr(x), strLen(x));
  }
  return strFromWriter(w);
}

/** Go's strings.Split: an empty delimiter splits into code points. */
export function rt_bi_split(s: usize, d: usize): usize {
  if (!isStr(s)) return typeErr("split", 1, "string", s);
  if (!isStr(d)) return typeErr("split", 2, "string", d);
  const r = mkColl(T_ARRAY, 4);
  const sp = strPtr(s);
  const sn = strLen(s);
  const dn = strLen(d);
  if (dn == 0) {
    let i: u32 = 0;
    while (i < sn) {
      const k = utf8SeqLen(load<u8>(sp + i));
      arrPush(r, mkStrRef(sp + i, k));
      i += k;
    }
    return r;
  }
  let from: u32 = 0;
  while (true) {
    const i = findBytes(sp, sn, from, strPtr(d), dn);
    if (i < 0) break;
    arrPush(r, mkStrRef(sp + from, <u32>i - from));
    from = <u32>i + dn;
  }
  arrPush(r, mkStrRef(sp + from, sn - from));
  return r;
}

/** Go's strings.Replace(s, old, new, -1). */
export function rt_bi_replace(s: usize, o: usize, nw: usize): usize {
  if (!isStr(s)) return typeErr("replace", 1, "string", s);
  if (!isStr(o)) return typeErr("replace", 2, "string", o);
  if (!isStr(nw)) return typeErr("replace", 3, "string", nw);
  const sp = strPtr(s);
  const sn = strLen(s);
  const on = strLen(o);
  const w = wNew(sn + 16);
  if (on == 0) {
    // inserts new before every code point and at the end
    let i: u32 = 0;
    wBytes(w, strPtr(nw), strLen(nw));
    while (i < sn) {
      const k = utf8SeqLen(load<u8>(sp + i));
      wBytes(w, sp + i, k);
      wBytes(w, strPtr(nw), strLen(nw));
      i += k;
    }
    return strFromWriter(w);
  }
  let from: u32 = 0;
  while (true) {
    const i = findBytes(sp, sn, from, strPtr(o), on);
    if (i < 0) break;
    wBytes(w, sp + from, <u32>i - from);
    wBytes(w, strPtr(nw), strLen(nw));
    from = <u32>i + on;
  }
  wBytes(w, sp + from, sn - from);
  return strFromWriter(w);
}

/** Does the cutset string contain code point cp? */
function inCutset(cs: usize, cp: u32): bool {
  const p = strPtr(cs);
  const n = strLen(cs);
  let i: u32 = 0;
  while (i < n) {
    if (utf8Decode(p + i) == cp) return true;
    i += utf8SeqLen(load<u8>(p + i));
  }
  return false;
}

/** Start of the last code point before byte `end`. */
function prevCp(p: usize, end: u32): u32 {
  let i = end - 1;
  while (i > 0 && (load<u8>(p + i) & 0xc0) == 0x80) i--;
  return i;
}

function trimCut(name: string, s: usize, cs: usize, left: bool, right: bool): usize {
  if (!isStr(s)) return typeErr(name, 1, "string", s);
  if (!isStr(cs)) return typeErr(name, 2, "string", cs);
  const p = strPtr(s);
  let a: u32 = 0;
  let b = strLen(s);
  if (left) {
    while (a < b && inCutset(cs, utf8Decode(p + a))) a += utf8SeqLen(load<u8>(p + a));
  }
  if (right) {
    while (b > a) {
      const q = prevCp(p, b);
      if (!inCutset(cs, utf8Decode(p + q))) break;
      b = q;
    }
  }
  return mkStrRef(p + a, b - a);
}

export function rt_bi_trim(s: usize, cs: usize): usize {
  return trimCut("trim", s, cs, true, true);
}
export function rt_bi_trim_left(s: usize, cs: usize): usize {
  return trimCut("trim_left", s, cs, true, false);
}
export function rt_bi_trim_right(s: usize, cs: usize): usize {
  return trimCut("trim_right", s, cs, false, true);
}

export function rt_bi_trim_prefix(s: usize, p: usize): usize {
  if (!isStr(s)) return typeErr("trim_prefix", 1, "string", s);
  if (!isStr(p)) return typeErr("trim_prefix", 2, "string", p);
  const n = strLen(p);
  if (n <= strLen(s) && bytesCompare(strPtr(s), n, strPtr(p), n) == 0) return mkStrRef(strPtr(s) + n, strLen(s) - n);
  return s;
}

export function rt_bi_trim_suffix(s: usize, p: usize): usize {
  if (!isStr(s)) return typeErr("trim_suffix", 1, "string", s);
  if (!isStr(p)) return typeErr("trim_suffix", 2, "string", p);
  const n = strLen(p);
  const m = strLen(s);
  if (n <= m && bytesCompare(strPtr(s) + m - n, n, strPtr(p), n) == 0) return mkStrRef(strPtr(s), m - n);
  return s;
}

/** Unicode White_Space (what Go's unicode.IsSpace accepts). */
function isSpace(cp: u32): bool {
  if (cp == 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85 || cp == 0xa0) return true;
  if (cp < 0x1680) return false;
  return cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

export function rt_bi_trim_space(s: usize): usize {
  if (!isStr(s)) return typeErr("trim_space", 1, "string", s);
  const p = strPtr(s);
  let a: u32 = 0;
  let b = strLen(s);
  while (a < b && isSpace(utf8Decode(p + a))) a += utf8SeqLen(load<u8>(p + a));
  while (b > a) {
    const q = prevCp(p, b);
    if (!isSpace(utf8Decode(p + q))) break;
    b = q;
  }
  return mkStrRef(p + a, b - a);
}

/**
 * Case mapping for ASCII, Latin-1 Supplement, Latin Extended-A pairs, Greek and Cyrillic basic letters — the
 * simple one-to-one mappings; other code points are left unchanged (Go maps all of Unicode).
 */
function mapCase(cp: u32, upper: bool): u32 {
  if (upper) {
    if (cp >= 0x61 && cp <= 0x7a) return cp - 32;
    if (cp < 0x80) return cp;
    if ((cp >= 0xe0 && cp <= 0xfe && cp != 0xf7)) return cp - 32;
    if (cp == 0xff) return 0x178;
    if (cp >= 0x100 && cp <= 0x17f && cp != 0x131 && cp != 0x138 && cp != 0x149 && cp != 0x17f) {
      // pairs: even upper / odd lower in 0100–0137 and 014A–0177; odd upper / even lower in 0139–0148, 0179–017E
      if ((cp <= 0x137 || (cp >= 0x14a && cp <= 0x177)) && (cp & 1) == 1) return cp - 1;
      if (((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e)) && (cp & 1) == 0) return cp - 1;
      return cp;
    }
    if (cp >= 0x3b1 && cp <= 0x3c9 && cp != 0x3c2) return cp - 32;
    if (cp >= 0x430 && cp <= 0x44f) return cp - 32;
    if (cp >= 0x450 && cp <= 0x45f) return cp - 80;
    return cp;
  }
  if (cp >= 0x41 && cp <= 0x5a) return cp + 32;
  if (cp < 0x80) return cp;
  if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7) return cp + 32;
  if (cp == 0x178) return 0xff;
  if (cp >= 0x100 && cp <= 0x17f && cp != 0x130 && cp != 0x138 && cp != 0x149) {
    if ((cp <= 0x137 || (cp >= 0x14a && cp <= 0x177)) && (cp & 1) == 0) return cp + 1;
    if (((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e)) && (cp & 1) == 1) return cp + 1;
    return cp;
  }
  if (cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2) return cp + 32;
  if (cp >= 0x410 && cp <= 0x42f) return cp + 32;
  if (cp >= 0x400 && cp <= 0x40f) return cp + 80;
  return cp;
}

function caseMap(name: string, s: usize, upper: bool): usize {
  if (!isStr(s)) return typeErr(name, 1, "string", s);
  const p = strPtr(s);
  const n = strLen(s);
  const w = wNew(n + 8);
  let i: u32 = 0;
  while (i < n) {
    const b = <u32>load<u8>(p + i);
    if (b < 0x80) {
      let c = b;
      if (upper && c >= 0x61 && c <= 0x7a) c -= 32;
      else if (!upper && c >= 0x41 && c <= 0x5a) c += 32;
      wByte(w, c);
      i++;
      continue;
    }
    const k = utf8SeqLen(b);
    const cp = mapCase(utf8Decode(p + i), upper);
    const o = wReserve(w, 4);
    wAdvance(w, utf8Encode(o, cp));
    i += k;
  }
  return strFromWriter(w);
}

export function rt_bi_lower(s: usize): usize {
  return caseMap("lower", s, false);
}

export function rt_bi_upper(s: usize): usize {
  return caseMap("upper", s, true);
}

/** substring(s, start, length) in code points; length < 0 means "to the end". */
export function rt_bi_substring(s: usize, st: usize, ln: usize): usize {
  if (!isStr(s)) return typeErr("substring", 1, "string", s);
  if (st == 0 || tag(st) != T_NUMBER) return typeErr("substring", 2, "number", st);
  if (ln == 0 || tag(ln) != T_NUMBER) return typeErr("substring", 3, "number", ln);
  if (!numAsI64(st)) return builtinErr("substring", "operand 2 must be integer number but got floating-point number");
  const start = numLastI64();
  if (!numAsI64(ln)) return builtinErr("substring", "operand 3 must be integer number but got floating-point number");
  const len = numLastI64();
  if (start < 0) return builtinErr("substring", "negative offset");
  const p = strPtr(s);
  const n = strLen(s);
  const total = <i64>utf8Count(p, n);
  if (start >= total) return mkStrRef(p, 0);
  const a = utf8Offset(p, n, <u32>start);
  let b = n;
  if (len >= 0 && start + len < total) b = utf8Offset(p, n, <u32>(start + len));
  return mkStrRef(p + a, b - a);
}

/** format_int(number, base): truncated toward zero, bases 2, 8, 10, 16 (lower-case digits). */
export function rt_bi_format_int(x: usize, base: usize): usize {
  if (x == 0 || tag(x) != T_NUMBER) return typeErr("format_int", 1, "number", x);
  if (base == 0 || tag(base) != T_NUMBER) return typeErr("format_int", 2, "number", base);
  if (!numAsI64(base)) return builtinErr("format_int", "operand 2 must be one of {2, 8, 10, 16}");
  const b = numLastI64();
  if (b != 2 && b != 8 && b != 10 && b != 16) return builtinErr("format_int", "operand 2 must be one of {2, 8, 10, 16}");
  let v: i64;
  if (numAsI64(x)) {
    v = numLastI64();
  } else {
    const f = numF64(x);
    if (!(f > -9.2e18 && f < 9.2e18)) return builtinErr("format_int", "number too large");
    v = <i64>f; // truncates toward zero
  }
  const w = wNew(72);
  let u: u64 = v < 0 ? <u64>(-v) : <u64>v;
  const tmp = wReserve(w, 70);
  let k: u32 = 0;
  do {
    store<u8>(tmp + 69 - k, hexDigit(<u32>(u % <u64>b)));
    u /= <u64>b;
    k++;
  } while (u != 0);
  if (v < 0) {
    store<u8>(tmp + 69 - k, 0x2d);
    k++;
  }
  return mkStrCopy(tmp + 70 - k, k);
}

/** to_number: numbers as is, null → 0, booleans → 0/1, strings parsed as numbers. */
export function rt_bi_to_number(v: usize): usize {
  if (v == 0) return 0;
  const t = tag(v);
  if (t == T_NUMBER) return v;
  if (t == T_NULL) return mkInt(0);
  if (t == T_BOOLEAN) return mkInt(boolOf(v) ? 1 : 0);
  if (t == T_STRING) {
    let p = strPtr(v);
    let n = strLen(v);
    // Go's ParseFloat accepts a leading '+'; the JSON number grammar does not
    if (n > 1 && load<u8>(p) == 0x2b) {
      p++;
      n--;
    }
    const r = parseNumber(p, n, false);
    if (r == 0) return builtinErr("to_number", "invalid syntax");
    return r;
  }
  return typeErr("to_number", 1, "one of {null, boolean, number, string}", v);
}

