// Correctly rounded decimal text → f64 for the literals Clinger's fast path (number.ts) cannot take: more than 15
// significant digits or a decimal exponent beyond ±22. AssemblyScript's strtod is not used: it loses precision
// and even magnitude on such inputs (1.2345678901234567e-30 → 0). Method: an f64 estimate from the leading 19
// digits, then exact correction — the input is compared, as a big decimal integer, with the midpoints between the
// candidate and its neighbours (expanded exactly by ftoa.expand), stepping one ulp at a time; ties go to the even
// mantissa. The estimate is within a few ulps, so the loop runs a handful of times.
import { alloc, heapMark, heapRelease } from "./heap";
import { expand, exDigits, exN } from "./ftoa";


/** Compares D × 10^dz with M × 10^mz (digit strings without leading zeros; dz, mz ≥ 0 appended zeros). */
function cmpScaled(d: usize, dn: u32, dz: u32, m: usize, mn: u32, mz: u32): i32 {
  const la = dn + dz;
  const lb = mn + mz;
  if (dn == 0 && mn == 0) return 0;
  if (la != lb) return la < lb ? -1 : 1;
  for (let i: u32 = 0; i < la; i++) {
    const x: u32 = i < dn ? load<u8>(d + i) : 0x30;
    const y: u32 = i < mn ? load<u8>(m + i) : 0x30;
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Parses a valid JSON number literal exactly. */
export function atof(ptr: usize, len: u32): f64 {
  const mark = heapMark();
  let i: u32 = 0;
  let neg = false;
  if (load<u8>(ptr) == 0x2d) {
    neg = true;
    i++;
  }
  // significant digits into d, value = D × 10^e10
  const d = alloc(len);
  let dn: u32 = 0;
  let e10: i32 = 0;
  let point = false;
  for (; i < len; i++) {
    const c = <u32>load<u8>(ptr + i);
    if (c == 0x2e) {
      point = true;
      continue;
    }
    if (c - 0x30 >= 10) break;
    if (dn == 0 && c == 0x30) {
      if (point) e10--;
      continue;
    }
    store<u8>(d + dn, <u8>c);
    dn++;
    if (point) e10--;
  }
  if (i < len) {
    i++;
    let eneg = false;
    if (load<u8>(ptr + i) == 0x2d) {
      eneg = true;
      i++;
    } else if (load<u8>(ptr + i) == 0x2b) {
      i++;
    }
    let e: i32 = 0;
    for (; i < len; i++) if (e < 100000) e = e * 10 + <i32>(load<u8>(ptr + i) - 0x30);
    e10 += eneg ? -e : e;
  }
  while (dn > 0 && load<u8>(d + dn - 1) == 0x30) {
    dn--;
    e10++;
  }
  let result: f64 = 0;
  if (dn == 0) {
    result = 0;
  } else if (<i32>dn + e10 > 310) {
    result = Infinity;
  } else if (<i32>dn + e10 < -325) {
    result = 0;
  } else {
    // estimate from the leading 19 digits
    const lead: u32 = dn < 19 ? dn : 19;
    let m19: u64 = 0;
    for (let k: u32 = 0; k < lead; k++) m19 = m19 * 10 + <u64>(load<u8>(d + k) - 0x30);
    const k10 = e10 + <i32>(dn - lead);
    let x = <f64>m19;
    if (k10 > 0) x *= Math.pow(10, <f64>k10);
    else if (k10 < -300) x = (x * Math.pow(10, <f64>(k10 + 300))) * 1e-300;
    else if (k10 < 0) x /= Math.pow(10, <f64>(-k10));
    if (x == 0) x = 5e-324;
    if (!isFinite(x)) x = 1.7976931348623157e308;
    for (let iter = 0; iter < 64; iter++) {
      const bits = reinterpret<u64>(x);
      const be = <i32>((bits >> 52) & 0x7ff);
      const frac = bits & 0xfffffffffffff;
      let m: u64 = be == 0 ? frac : frac | (<u64>1 << 52);
      const e: i32 = be == 0 ? -1074 : be - 1075;
      const lowerCloser = frac == 0 && be > 1;
      const scale: i32 = e - 2 < 0 ? 2 - e : 0; // expansions are integers scaled by 10^scale
      // input at the same scale: D × 10^(e10 + scale)
      const shift = e10 + scale;
      const dz: u32 = shift > 0 ? <u32>shift : 0;
      const mz: u32 = shift < 0 ? <u32>(-shift) : 0;
      expand((m << 2) - (lowerCloser ? 1 : 2), e - 2);
      const cl = cmpScaled(d, dn, dz, exDigits, exN, mz);
      expand((m << 2) + 2, e - 2);
      const ch = cmpScaled(d, dn, dz, exDigits, exN, mz);
      const even = (m & 1) == 0;
      if (cl < 0 || (cl == 0 && !even)) {
        x = reinterpret<f64>(bits - 1);
        if (x == 0) break;
        continue;
      }
      if (ch > 0 || (ch == 0 && !even)) {
        if (bits >= 0x7fefffffffffffff) {
          x = Infinity;
          break;
        }
        x = reinterpret<f64>(bits + 1);
        continue;
      }
      break;
    }
    result = x;
  }
  heapRelease(mark);
  return neg ? -result : result;
}

