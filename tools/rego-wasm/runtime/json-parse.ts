// JSON text → value. Strings without escapes and number literals refer to the parsed text in place (the SDK keeps
// input and data text below the heap for as long as the values live), so parsing allocates only headers.
import { alloc } from "./heap";
import { T_OBJECT, T_ARRAY, mkNull, mkBool, mkStrRef, mkStrUninit, mkColl, collLen, collData } from "./value";
import { parseNumber, mkInt } from "./number";
import { arrPush, sortUnique } from "./collections";

const MAX_DEPTH: i32 = 4096;

let end: usize = 0;
let pos: usize = 0;
let failed = false;

@inline function peek(): u32 {
  return pos < end ? <u32>load<u8>(pos) : 0;
}

function skipWs(): void {
  while (pos < end) {
    const c = load<u8>(pos);
    if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) return;
    pos++;
  }
}

function hex4(p: usize): i32 {
  if (p + 4 > end) return -1;
  let r: i32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    const c = <i32>load<u8>(p + i);
    let d: i32;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) d = (c | 0x20) - 0x61 + 10;
    else return -1;
    r = (r << 4) | d;
  }
  return r;
}

/** Writes code point cp as UTF-8 at p; returns the byte count. */
export function utf8Encode(p: usize, cp: u32): u32 {
  if (cp < 0x80) {
    store<u8>(p, <u8>cp);
    return 1;
  }
  if (cp < 0x800) {
    store<u8>(p, <u8>(0xc0 | (cp >> 6)));
    store<u8>(p, <u8>(0x80 | (cp & 0x3f)), 1);
    return 2;
  }
  if (cp < 0x10000) {
    store<u8>(p, <u8>(0xe0 | (cp >> 12)));
    store<u8>(p, <u8>(0x80 | ((cp >> 6) & 0x3f)), 1);
    store<u8>(p, <u8>(0x80 | (cp & 0x3f)), 2);
    return 3;
  }
  store<u8>(p, <u8>(0xf0 | (cp >> 18)));
  store<u8>(p, <u8>(0x80 | ((cp >> 12) & 0x3f)), 1);
  store<u8>(p, <u8>(0x80 | ((cp >> 6) & 0x3f)), 2);
  store<u8>(p, <u8>(0x80 | (cp & 0x3f)), 3);
  return 4;
}

function parseString(): usize {
  pos++; // opening quote
  const start = pos;
  let escapes = false;
  while (pos < end) {
    const c = load<u8>(pos);
    if (c == 0x22) break;
    if (c == 0x5c) {
      escapes = true;
      pos += 2;
      continue;
    }
    if (c < 0x20) {
      failed = true;
      return 0;
    }
    pos++;
  }
  if (pos >= end) {
    failed = true;
    return 0;
  }
  const stop = pos;
  pos++; // closing quote
  const n = <u32>(stop - start);
  if (!escapes) return mkStrRef(start, n);
  // decoded text is never longer than the escaped text
  const v = mkStrUninit(n);
  const d = v + 12;
  let o: u32 = 0;
  let i = start;
  while (i < stop) {
    const c = load<u8>(i);
    if (c != 0x5c) {
      store<u8>(d + o, c);
      o++;
      i++;
      continue;
    }
    const e = load<u8>(i + 1);
    i += 2;
    let b: u32 = 0;
    if (e == 0x22) b = 0x22;
    else if (e == 0x5c) b = 0x5c;
    else if (e == 0x2f) b = 0x2f;
    else if (e == 0x62) b = 0x08;
    else if (e == 0x66) b = 0x0c;
    else if (e == 0x6e) b = 0x0a;
    else if (e == 0x72) b = 0x0d;
    else if (e == 0x74) b = 0x09;
    else if (e == 0x75) {
      let cp = hex4(i);
      if (cp < 0) {
        failed = true;
        return 0;
      }
      i += 4;
      if (cp >= 0xd800 && cp < 0xdc00) {
        // surrogate pair; a lone high surrogate becomes U+FFFD like Go
        let lo: i32 = -1;
        if (i + 1 < stop && load<u8>(i) == 0x5c && load<u8>(i + 1) == 0x75) lo = hex4(i + 2);
        if (lo >= 0xdc00 && lo < 0xe000) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          i += 6;
        } else {
          cp = 0xfffd;
        }
      } else if (cp >= 0xdc00 && cp < 0xe000) {
        cp = 0xfffd;
      }
      o += utf8Encode(d + o, <u32>cp);
      continue;
    } else {
      failed = true;
      return 0;
    }
    store<u8>(d + o, <u8>b);
    o++;
  }
  store<u32>(v, o, 4);
  return v;
}

function parseLiteral(word: u64, n: u32, v: usize): usize {
  // compares the next n bytes with word (little-endian packed ASCII)
  if (pos + n > end) {
    failed = true;
    return 0;
  }
  for (let i: u32 = 0; i < n; i++) {
    if (<u64>load<u8>(pos + i) != ((word >> (<u64>i << 3)) & 0xff)) {
      failed = true;
      return 0;
    }
  }
  pos += n;
  return v;
}

function parseValue(depth: i32): usize {
  // deeper documents would overflow the engine's call stack in the recursive parse/dump/compare (~9000 levels)
  if (depth > MAX_DEPTH) {
    failed = true;
    return 0;
  }
  skipWs();
  const c = peek();
  if (c == 0x22) return parseString();
  if (c == 0x7b) {
    pos++;
    const o = mkColl(T_OBJECT, 4);
    skipWs();
    if (peek() == 0x7d) {
      pos++;
      return o;
    }
    while (true) {
      skipWs();
      if (peek() != 0x22) {
        failed = true;
        return 0;
      }
      const k = parseString();
      if (failed) return 0;
      skipWs();
      if (peek() != 0x3a) {
        failed = true;
        return 0;
      }
      pos++;
      const v = parseValue(depth + 1);
      if (failed) return 0;
      // append now, sort once at the end (objects arrive in any key order)
      const n = collLen(o);
      if (n == load<u32>(o, 8)) {
        // same growth as arrPush but for 8-byte slots
        const nd = alloc(<usize>n << 4);
        memory.copy(nd, collData(o), <usize>n << 3);
        store<u32>(o, <u32>nd, 12);
        store<u32>(o, n << 1, 8);
      }
      store<u32>(collData(o) + (<usize>n << 3), <u32>k);
      store<u32>(collData(o) + (<usize>n << 3), <u32>v, 4);
      store<u32>(o, n + 1, 4);
      skipWs();
      const d = peek();
      pos++;
      if (d == 0x7d) break;
      if (d != 0x2c) {
        failed = true;
        return 0;
      }
    }
    sortUnique(o);
    return o;
  }
  if (c == 0x5b) {
    pos++;
    const a = mkColl(T_ARRAY, 4);
    skipWs();
    if (peek() == 0x5d) {
      pos++;
      return a;
    }
    while (true) {
      const v = parseValue(depth + 1);
      if (failed) return 0;
      arrPush(a, v);
      skipWs();
      const d = peek();
      pos++;
      if (d == 0x5d) break;
      if (d != 0x2c) {
        failed = true;
        return 0;
      }
    }
    return a;
  }
  if (c == 0x74) return parseLiteral(0x65757274, 4, mkBool(true)); // "true"
  if (c == 0x66) return parseLiteral(0x65736c6166, 5, mkBool(false)); // "false"
  if (c == 0x6e) return parseLiteral(0x6c6c756e, 4, mkNull()); // "null"
  if (c == 0x2d || (c >= 0x30 && c <= 0x39)) {
    const s = pos;
    // fast path: a plain integer of up to 18 digits is accumulated while scanning
    let q = pos;
    const neg = c == 0x2d;
    if (neg) q++;
    let m: i64 = 0;
    const digitsStart = q;
    while (q < end && <u32>(load<u8>(q) - 0x30) < 10 && q - digitsStart < 18) {
      m = m * 10 + <i64>(load<u8>(q) - 0x30);
      q++;
    }
    const nd = q - digitsStart;
    if (nd > 0 && (nd == 1 || load<u8>(digitsStart) != 0x30)) {
      const next: u32 = q < end ? <u32>load<u8>(q) : 0;
      if (!(<u32>(next - 0x30) < 10 || next == 0x2e || (next | 0x20) == 0x65)) {
        pos = q;
        return mkInt(neg ? -m : m);
      }
    }
    while (pos < end) {
      const d = <u32>load<u8>(pos);
      if ((d >= 0x30 && d <= 0x39) || d == 0x2d || d == 0x2b || d == 0x2e || (d | 0x20) == 0x65) pos++;
      else break;
    }
    const v = parseNumber(s, <u32>(pos - s), false);
    if (v == 0) failed = true;
    return v;
  }
  failed = true;
  return 0;
}

/** Parses one JSON document filling [ptr, ptr+len); returns 0 on any syntax error. */
export function jsonParse(ptr: usize, len: u32): usize {
  end = ptr + len;
  pos = ptr;
  failed = false;
  const v = parseValue(0);
  if (failed) return 0;
  skipWs();
  if (pos != end) return 0;
  return v;
}

