// Numbers. Rego numbers are arbitrary-precision decimals (Go's json.Number); the runtime keeps three kinds:
//   K_INT   exact i64                        (most numbers)
//   K_FLOAT f64 computed by arithmetic       (dumped in shortest round-trip form)
//   K_TEXT  the exact decimal text as written (big integers, decimals from JSON or policy literals) plus an f64
//           approximation for arithmetic. Dumping prints the text, so JSON round-trips byte for byte.
// Comparison is exact: mixed kinds compare their normalised decimal expansions.
import { alloc, heapMark, heapRelease } from "./heap";
import { T_NUMBER } from "./value";
import { wNew, wPtr, wLen, wBytes, wI64, wReserve, wAdvance } from "./writer";
import { strtod } from "~lib/util/string";
import { dtoa_buffered } from "~lib/util/number";

export const K_INT: u32 = 0;
export const K_FLOAT: u32 = 1;
export const K_TEXT: u32 = 2;

const NUM_SIZE: usize = 24;

@inline export function numKind(v: usize): u32 {
  return load<u32>(v, 4);
}
@inline export function numI64(v: usize): i64 {
  return load<i64>(v, 8);
}
@inline function textPtr(v: usize): usize {
  return <usize>load<u32>(v, 16);
}
@inline function textLen(v: usize): u32 {
  return load<u32>(v, 20);
}

export function mkInt(x: i64): usize {
  const v = alloc(NUM_SIZE);
  store<u32>(v, T_NUMBER);
  store<u32>(v, K_INT, 4);
  store<i64>(v, x, 8);
  store<u64>(v, 0, 16);
  return v;
}

/** An f64 result; integral values within i64 range become K_INT so that 1.5 * 2 dumps as 3 (like OPA). */
export function mkFloat(x: f64): usize {
  if (x == Math.floor(x) && x > -9.2e18 && x < 9.2e18) return mkInt(<i64>x);
  const v = alloc(NUM_SIZE);
  store<u32>(v, T_NUMBER);
  store<u32>(v, K_FLOAT, 4);
  store<f64>(v, x, 8);
  store<u64>(v, 0, 16);
  return v;
}

/** A K_TEXT number; text must be a valid JSON number and must outlive the value. */
function mkText(ptr: usize, len: u32, approx: f64): usize {
  const v = alloc(NUM_SIZE);
  store<u32>(v, T_NUMBER);
  store<u32>(v, K_TEXT, 4);
  store<f64>(v, approx, 8);
  store<u32>(v, <u32>ptr, 16);
  store<u32>(v, len, 20);
  return v;
}

/** Correctly rounded decimal → f64 of ASCII bytes, through AssemblyScript's strtod on a scratch UTF-16 string. */
export function bytesToF64(ptr: usize, len: u32): f64 {
  const mark = heapMark();
  // fake string object: 20-byte header whose last field (rtSize) is the byte length of the UTF-16 payload
  const s = alloc(20 + (<usize>len << 1));
  store<u32>(s, len << 1, 16);
  const d = s + 20;
  for (let i: u32 = 0; i < len; i++) store<u16>(d + (<usize>i << 1), <u16>load<u8>(ptr + i));
  const r = strtod(changetype<string>(d));
  heapRelease(mark);
  return r;
}

/**
 * Parses a JSON number literal (whole range [ptr, ptr+len)). Returns 0 when it is not valid JSON number syntax.
 * When copy is false, K_TEXT numbers refer to the bytes in place.
 */
export function parseNumber(ptr: usize, len: u32, copy: bool): usize {
  let i: u32 = 0;
  let neg = false;
  if (i < len && load<u8>(ptr) == 0x2d) {
    neg = true;
    i++;
  }
  const intStart = i;
  while (i < len && <u32>(load<u8>(ptr + i) - 0x30) < 10) i++;
  const intDigits = i - intStart;
  if (intDigits == 0) return 0;
  if (intDigits > 1 && load<u8>(ptr + intStart) == 0x30) return 0; // leading zero
  let integral = true;
  if (i < len && load<u8>(ptr + i) == 0x2e) {
    integral = false;
    i++;
    const f = i;
    while (i < len && <u32>(load<u8>(ptr + i) - 0x30) < 10) i++;
    if (i == f) return 0;
  }
  if (i < len && (load<u8>(ptr + i) | 0x20) == 0x65) {
    integral = false;
    i++;
    if (i < len && (load<u8>(ptr + i) == 0x2b || load<u8>(ptr + i) == 0x2d)) i++;
    const e = i;
    while (i < len && <u32>(load<u8>(ptr + i) - 0x30) < 10) i++;
    if (i == e) return 0;
  }
  if (i != len) return 0;
  if (integral && intDigits <= 19) {
    let m: u64 = 0;
    for (let k = intStart; k < len; k++) m = m * 10 + <u64>(load<u8>(ptr + k) - 0x30);
    if (neg && m <= 0x8000000000000000) return mkInt(<i64>(0 - m));
    if (!neg && m <= 0x7fffffffffffffff) return mkInt(<i64>m);
  }
  let p = ptr;
  if (copy) {
    p = alloc(len);
    memory.copy(p, ptr, len);
  }
  return mkText(p, len, bytesToF64(ptr, len));
}

/** f64 value of any number. */
export function numF64(v: usize): f64 {
  const k = numKind(v);
  if (k == K_INT) return <f64>numI64(v);
  return load<f64>(v, 8);
}

const DTOA_BUF: usize = memory.data(64);

/** Appends the number's JSON text. */
export function numWrite(w: usize, v: usize): void {
  const k = numKind(v);
  if (k == K_INT) {
    wI64(w, numI64(v));
    return;
  }
  if (k == K_TEXT) {
    wBytes(w, textPtr(v), textLen(v));
    return;
  }
  const x = load<f64>(v, 8);
  if (!isFinite(x)) {
    // JSON has no Inf/NaN; OPA cannot produce them either (it errors earlier). Keep the output valid JSON.
    const p = wReserve(w, 4);
    store<u32>(p, 0x6c6c756e); // "null"
    wAdvance(w, 4);
    return;
  }
  const n = <u32>dtoa_buffered(DTOA_BUF, x);
  // dtoa writes UTF-16; integral values end in ".0", which OPA never prints
  let m = n;
  if (m >= 2 && load<u16>(DTOA_BUF + ((<usize>m - 1) << 1)) == 0x30 && load<u16>(DTOA_BUF + ((<usize>m - 2) << 1)) == 0x2e) m -= 2;
  const p = wReserve(w, m);
  for (let i: u32 = 0; i < m; i++) store<u8>(p + i, <u8>load<u16>(DTOA_BUF + (<usize>i << 1)));
  wAdvance(w, m);
}

// ---- exact decimal form: value = (neg ? -1 : 1) * 0.D1D2...Dn * 10^exp, digits without leading/trailing zeros
let decNeg = false;
let decDigits: usize = 0;
let decN: u32 = 0;
let decExp: i32 = 0;

/** Decomposes number text into the dec* globals (digits copied to the heap). */
function decParse(ptr: usize, len: u32): void {
  let i: u32 = 0;
  decNeg = false;
  if (i < len && load<u8>(ptr) == 0x2d) {
    decNeg = true;
    i++;
  }
  const digits = alloc(len);
  let n: u32 = 0;
  let intCount: i32 = 0;
  let seenPoint = false;
  let leading = true;
  let leadingFrac: i32 = 0; // zeros after the point before the first significant digit
  while (i < len) {
    const c = load<u8>(ptr + i);
    if (c == 0x2e) {
      seenPoint = true;
    } else if (<u32>(c - 0x30) < 10) {
      if (leading && c == 0x30) {
        if (seenPoint) leadingFrac++;
      } else {
        leading = false;
        store<u8>(digits + n, c);
        n++;
        if (!seenPoint) intCount++;
      }
    } else {
      break; // exponent
    }
    i++;
  }
  let e: i32 = 0;
  if (i < len) {
    i++; // 'e'
    let eneg = false;
    if (load<u8>(ptr + i) == 0x2d) {
      eneg = true;
      i++;
    } else if (load<u8>(ptr + i) == 0x2b) {
      i++;
    }
    while (i < len) {
      if (e < 100000000) e = e * 10 + <i32>(load<u8>(ptr + i) - 0x30);
      i++;
    }
    if (eneg) e = -e;
  }
  while (n > 0 && load<u8>(digits + n - 1) == 0x30) n--;
  decDigits = digits;
  decN = n;
  decExp = (intCount > 0 ? intCount : -leadingFrac) + e;
  if (n == 0) {
    decNeg = false;
    decExp = 0;
  }
}

/** Writes the number's decimal text into a fresh writer and returns it (scratch; callers release the heap). */
function textOf(v: usize): usize {
  const w = wNew(32);
  numWrite(w, v);
  return w;
}

function cmpDec(aNeg: bool, aD: usize, aN: u32, aE: i32, bNeg: bool, bD: usize, bN: u32, bE: i32): i32 {
  const aSign: i32 = aN == 0 ? 0 : aNeg ? -1 : 1;
  const bSign: i32 = bN == 0 ? 0 : bNeg ? -1 : 1;
  if (aSign != bSign) return aSign < bSign ? -1 : 1;
  if (aSign == 0) return 0;
  let mag: i32 = 0;
  if (aE != bE) {
    mag = aE < bE ? -1 : 1;
  } else {
    const n = aN < bN ? aN : bN;
    for (let i: u32 = 0; i < n && mag == 0; i++) {
      const x = load<u8>(aD + i);
      const y = load<u8>(bD + i);
      if (x != y) mag = x < y ? -1 : 1;
    }
    if (mag == 0 && aN != bN) mag = aN < bN ? -1 : 1;
  }
  return aSign < 0 ? -mag : mag;
}

/** Exact numeric comparison → -1/0/1. */
export function numCompare(a: usize, b: usize): i32 {
  const ka = numKind(a);
  const kb = numKind(b);
  if (ka == K_INT && kb == K_INT) {
    const x = numI64(a);
    const y = numI64(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ka == K_FLOAT && kb == K_FLOAT) {
    const x = load<f64>(a, 8);
    const y = load<f64>(b, 8);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const mark = heapMark();
  const wa = textOf(a);
  const wb = textOf(b);
  decParse(wPtr(wa), wLen(wa));
  const aNeg = decNeg;
  const aD = decDigits;
  const aN = decN;
  const aE = decExp;
  decParse(wPtr(wb), wLen(wb));
  const r = cmpDec(aNeg, aD, aN, aE, decNeg, decDigits, decN, decExp);
  heapRelease(mark);
  return r;
}

// ---- integer views ----
let lastI64: i64 = 0;

/** The last value converted by numAsI64. */
export function numLastI64(): i64 {
  return lastI64;
}

/** True when v is a whole number that fits i64 (exactly); the value is then available from numLastI64. */
export function numAsI64(v: usize): bool {
  const k = numKind(v);
  if (k == K_INT) {
    lastI64 = numI64(v);
    return true;
  }
  if (k == K_FLOAT) return false; // mkFloat turns integral in-range floats into K_INT
  if (!numIsIntegral(v)) return false;
  const x = load<f64>(v, 8);
  if (x <= -9.2e18 || x >= 9.2e18) return false;
  lastI64 = <i64>x;
  return true;
}

/** True when the number is a whole number (of any size). */
export function numIsIntegral(v: usize): bool {
  const k = numKind(v);
  if (k == K_INT) return true;
  if (k == K_FLOAT) {
    const x = load<f64>(v, 8);
    return x == Math.floor(x);
  }
  const mark = heapMark();
  decParse(textPtr(v), textLen(v));
  const r = <i32>decN <= decExp;
  heapRelease(mark);
  return r;
}

/**
 * Writes the integer digits of a whole number: sign flag into intNeg and the magnitude (no leading zeros, "0" for
 * zero) as ASCII digits into writer w. Only valid when numIsIntegral(v).
 */
export let intNeg = false;
export function numIntDigits(w: usize, v: usize): void {
  // scratch is not released: w may grow into it while the digits are copied
  const t = textOf(v);
  decParse(wPtr(t), wLen(t));
  const neg = decNeg;
  const d = decDigits;
  const n = decN;
  const e = decExp;
  intNeg = neg;
  if (n == 0) {
    const p = wReserve(w, 1);
    store<u8>(p, 0x30);
    wAdvance(w, 1);
    return;
  }
  const total = <u32>e;
  const p = wReserve(w, total);
  memory.copy(p, d, n);
  for (let i = n; i < total; i++) store<u8>(p + i, 0x30);
  wAdvance(w, total);
}

/** Builds a number from sign + decimal magnitude digits (no leading zeros); small values become K_INT. */
export function numFromIntDigits(neg: bool, ptr: usize, len: u32): usize {
  if (len <= 19) {
    let m: u64 = 0;
    for (let k: u32 = 0; k < len; k++) m = m * 10 + <u64>(load<u8>(ptr + k) - 0x30);
    if (m == 0) return mkInt(0);
    if (neg && m <= 0x8000000000000000) return mkInt(<i64>(0 - m));
    if (!neg && m <= 0x7fffffffffffffff) return mkInt(<i64>m);
  }
  const n = len + (neg ? 1 : 0);
  const t = alloc(n);
  if (neg) store<u8>(t, 0x2d);
  memory.copy(t + (neg ? 1 : 0), ptr, len);
  return mkText(t, n, bytesToF64(t, n));
}

/**
 * Exact decimal decomposition for formatting: value = (neg ? -1 : 1) * 0.D1..Dn * 10^exp with digits as ASCII
 * (no leading or trailing zeros; n = 0 for zero). Floats use their shortest round-trip digits. Scratch memory is
 * left on the heap (callers are formatting into fresh output anyway).
 */
export let decompNeg = false;
export let decompDigits: usize = 0;
export let decompN: u32 = 0;
export let decompExp: i32 = 0;
export function numDecompose(v: usize): void {
  const t = textOf(v);
  decParse(wPtr(t), wLen(t));
  decompNeg = decNeg;
  decompDigits = decDigits;
  decompN = decN;
  decompExp = decExp;
}
