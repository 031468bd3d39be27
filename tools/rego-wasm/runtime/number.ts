// Numbers. Rego numbers are arbitrary-precision decimals (Go's json.Number); the runtime keeps three kinds:
//   K_INT   exact i64                        (most numbers)
//   K_FLOAT f64 computed by arithmetic       (dumped in shortest round-trip form)
//   K_TEXT  the exact decimal text as written (big integers, decimals from JSON or policy literals) plus an f64
//           approximation for arithmetic. Dumping prints the text, so JSON round-trips byte for byte.
// Comparison is exact: mixed kinds compare their normalised decimal expansions.
import { alloc, heapMark, heapRelease } from "./heap";
import { T_NUMBER } from "./value";
import { wNew, wPtr, wLen, wByte, wBytes, wI64, wReserve, wAdvance } from "./writer";
import { atof } from "./atof";
import { shortest, sdDigits, sdN, sdExp } from "./ftoa";

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

// Small integers (array indexes from iteration, counts, most JSON numbers) come from a static table instead of
// the heap, so loops over arrays do not allocate a number per step. The table is in the runtime's static data
// (below every heap, never reset); a slot is (re)written whenever it does not hold exactly its own value, which
// also covers memory that was not zero at instantiation.
const SMALL_INTS: i64 = 256;
const SMALL_TABLE: usize = memory.data(<i32>(SMALL_INTS * 24), 8);

export function mkInt(x: i64): usize {
  if (x >= 0 && x < SMALL_INTS) {
    const v = SMALL_TABLE + <usize>x * NUM_SIZE;
    if (load<u32>(v) != T_NUMBER || load<u32>(v, 4) != K_INT || load<i64>(v, 8) != x) {
      store<u32>(v, T_NUMBER);
      store<u32>(v, K_INT, 4);
      store<i64>(v, x, 8);
      store<u64>(v, 0, 16);
    }
    return v;
  }
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

const POW10: usize = memory.data<f64>([1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]);

/**
 * Decimal text → f64. Exact (Clinger's fast path) when the significant digits fit 2^53 and the decimal exponent
 * is within ±22: one correctly rounded multiplication or division of exact operands. That covers the numbers
 * policies and inputs use; longer literals go through the exact (slower) atof.ts.
 */
export function bytesToF64(ptr: usize, len: u32): f64 {
  let i: u32 = 0;
  let neg = false;
  if (i < len && load<u8>(ptr) == 0x2d) {
    neg = true;
    i++;
  }
  let m: u64 = 0;
  let digits: i32 = 0;
  let scale: i32 = 0;
  let point = false;
  let ok = true;
  for (; i < len; i++) {
    const c = <u32>load<u8>(ptr + i);
    if (c == 0x2e) {
      point = true;
      continue;
    }
    if (c - 0x30 >= 10) break;
    if (m == 0 && c == 0x30) {
      if (point) scale--;
      continue;
    }
    if (digits >= 15) {
      ok = false;
      break;
    }
    m = m * 10 + <u64>(c - 0x30);
    digits++;
    if (point) scale--;
  }
  if (ok && i < len) {
    // exponent
    i++;
    let eneg = false;
    if (i < len && load<u8>(ptr + i) == 0x2d) {
      eneg = true;
      i++;
    } else if (i < len && load<u8>(ptr + i) == 0x2b) {
      i++;
    }
    let e: i32 = 0;
    for (; i < len; i++) if (e < 10000) e = e * 10 + <i32>(load<u8>(ptr + i) - 0x30);
    scale += eneg ? -e : e;
  }
  if (ok && m == 0) return neg ? -0.0 : 0.0;
  if (ok && scale >= -22 && scale <= 22) {
    const x = <f64>m;
    const r = scale >= 0 ? x * load<f64>(POW10 + (<usize>scale << 3)) : x / load<f64>(POW10 + (<usize>(-scale) << 3));
    return neg ? -r : r;
  }
  return atof(ptr, len);
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
  writeShortest(w, x);
}

/** JavaScript-style shortest form: fixed notation for 1e-7 < |x| < 1e21, else d.ddde±x. */
function writeShortest(w: usize, x: f64): void {
  if (x == 0) {
    wByte(w, 0x30);
    return;
  }
  if (x < 0) {
    wByte(w, 0x2d);
    x = -x;
  }
  shortest(x);
  const d = sdDigits;
  const n = <i32>sdN;
  const k = sdExp; // x = 0.D × 10^k
  if (k > 21 || k < -5) {
    wByte(w, load<u8>(d));
    if (n > 1) {
      wByte(w, 0x2e);
      wBytes(w, d + 1, n - 1);
    }
    wByte(w, 0x65);
    const e = k - 1;
    wByte(w, e < 0 ? 0x2d : 0x2b);
    wI64(w, e < 0 ? -e : e);
    return;
  }
  if (k <= 0) {
    wByte(w, 0x30);
    wByte(w, 0x2e);
    for (let i = 0; i < -k; i++) wByte(w, 0x30);
    wBytes(w, d, n);
    return;
  }
  for (let i = 0; i < k; i++) wByte(w, i < n ? load<u8>(d + i) : 0x30);
  if (n > k) {
    wByte(w, 0x2e);
    wBytes(w, d + k, n - k);
  }
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

/** True for K_INT and for K_TEXT written as an integer literal (no '.', no exponent) — Go's big.Int syntax. */
export function numIsIntSyntax(v: usize): bool {
  const k = numKind(v);
  if (k == K_INT) return true;
  if (k == K_FLOAT) return false;
  const p = textPtr(v);
  const n = textLen(v);
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c == 0x2e || c == 0x65 || c == 0x45) return false;
  }
  return true;
}
