// Shortest round-trip decimal digits of an f64, exactly (what Go's strconv and JS print): the shortest digit
// string that still reads back as the same double, and among those the closest to the exact value.
// AssemblyScript's dtoa (Grisu2) is not always closest (0.1 + 0.2 prints as 0.30000000000000007), so this works
// on exact decimal expansions instead: the double and the two midpoints to its neighbours are expanded as decimal
// integers at a common scale, and the value rounded to 1, 2, ... digits is tested against the midpoints.
// Cost is a few big-decimal multiplications; floats are rare in policies and this only runs when dumping one.
import { alloc } from "./heap";
import { magCmp } from "./bigint";

export let sdDigits: usize = 0; // ASCII digits, no leading/trailing zeros
export let sdN: u32 = 0;
export let sdExp: i32 = 0; // value = 0.D1D2..Dn × 10^sdExp

// expansion result: ASCII digits of an integer (no leading zeros), scaled by 10^-expFrac
export let exDigits: usize = 0;
export let exN: u32 = 0;

/** Digits of m × 2^e as a decimal integer scaled by 10^max(0, -e). */
export function expand(m: u64, e: i32): void {
  // little-endian base-1e9 limbs keep the multiplications cheap
  const maxLimbs: u32 = 2 + <u32>((e < 0 ? -e : e) / 9 + 3);
  const limbs = alloc(<usize>maxLimbs << 2);
  let n: u32 = 0;
  let x = m;
  do {
    store<u32>(limbs + (<usize>n << 2), <u32>(x % 1000000000));
    n++;
    x /= 1000000000;
  } while (x != 0);
  let k = e < 0 ? -e : e;
  // multiply by 5 (e < 0: m × 5^k / 10^k) or 2 (e > 0), up to 13 / 29 factors at a time
  const base: u64 = e < 0 ? 5 : 2;
  const chunk = e < 0 ? 13 : 29;
  while (k > 0) {
    const s = k < chunk ? k : chunk;
    let f: u64 = 1;
    for (let i = 0; i < s; i++) f *= base;
    let carry: u64 = 0;
    for (let i: u32 = 0; i < n; i++) {
      const p = limbs + (<usize>i << 2);
      const t = <u64>load<u32>(p) * f + carry;
      store<u32>(p, <u32>(t % 1000000000));
      carry = t / 1000000000;
    }
    while (carry != 0) {
      store<u32>(limbs + (<usize>n << 2), <u32>(carry % 1000000000));
      n++;
      carry /= 1000000000;
    }
    k -= s;
  }
  // limbs → ASCII
  const out = alloc(<usize>n * 9);
  let o: u32 = 0;
  for (let i = <i32>n - 1; i >= 0; i--) {
    let v = load<u32>(limbs + (<usize>i << 2));
    if (<u32>i == n - 1) {
      // most significant limb without leading zeros
      const tmp = alloc(10);
      let t: u32 = 0;
      do {
        store<u8>(tmp + t, <u8>(0x30 + v % 10));
        t++;
        v /= 10;
      } while (v != 0);
      while (t > 0) {
        t--;
        store<u8>(out + o, load<u8>(tmp + t));
        o++;
      }
    } else {
      for (let d = 8; d >= 0; d--) {
        store<u8>(out + o + <u32>d, <u8>(0x30 + v % 10));
        v /= 10;
      }
      o += 9;
    }
  }
  exDigits = out;
  exN = o;
}

/** Computes sdDigits/sdN/sdExp for a finite x > 0. */
/**
 * Writes `mid` rounded to n significant digits (up or down) at full length into `cand` and, when it lies inside
 * the interval that reads back as x, records it as the result (sdDigits/sdN/sdExp) and returns true.
 */
function acceptCandidate(
  cand: usize, mid: usize, midN: u32, n: u32, up: bool,
  low: usize, lowN: u32, high: usize, highN: u32, inclusive: bool, scaleFrac: i32,
): bool {
  memory.copy(cand + 1, mid, n);
  store<u8>(cand, 0x30);
  if (up) {
    let i = n;
    while (true) {
      const c = load<u8>(cand + i);
      if (c == 0x39) {
        store<u8>(cand + i, 0x30);
        i--;
      } else {
        store<u8>(cand + i, c + 1);
        break;
      }
    }
  }
  for (let i = n + 1; i <= midN; i++) store<u8>(cand + i, 0x30);
  const lead: u32 = load<u8>(cand) == 0x30 ? 1 : 0;
  const c = cand + lead;
  const cn = midN + 1 - lead;
  const aboveLow = magCmp(c, cn, low, lowN);
  const belowHigh = magCmp(c, cn, high, highN);
  if ((aboveLow > 0 || (inclusive && aboveLow == 0)) && (belowHigh < 0 || (inclusive && belowHigh == 0))) {
    let k = cn;
    while (k > 1 && load<u8>(c + k - 1) == 0x30) k--;
    sdDigits = c;
    sdN = k;
    sdExp = <i32>cn - scaleFrac;
    return true;
  }
  return false;
}

export function shortest(x: f64): void {
  const bits = reinterpret<u64>(x);
  const be = <i32>((bits >> 52) & 0x7ff);
  const frac = bits & 0xfffffffffffff;
  let m: u64;
  let e: i32;
  if (be == 0) {
    m = frac;
    e = -1074;
  } else {
    m = frac | (<u64>1 << 52);
    e = be - 1075;
  }
  const lowerCloser = frac == 0 && be > 1;
  // common scale 2^(e-2): mid = 4m, high = 4m + 2, low = 4m - 2 (or 4m - 1 when the gap below is halved)
  expand(m << 2, e - 2);
  const mid = exDigits;
  const midN = exN;
  expand((m << 2) + 2, e - 2);
  const high = exDigits;
  const highN = exN;
  expand((m << 2) - (lowerCloser ? 1 : 2), e - 2);
  const low = exDigits;
  const lowN = exN;
  const inclusive = (m & 1) == 0; // round-half-even reads a midpoint back as the even neighbour
  const scaleFrac: i32 = e - 2 < 0 ? -(e - 2) : 0;
  const cand = alloc(midN + 1);
  for (let n: u32 = 1; n <= midN; n++) {
    // mid rounded to n significant digits; an exact tie (a 5 with only zeros after it) rounds to the even
    // neighbour first, as JS and Go do, and to the odd one only if the even one does not read back as x.
    let up = false;
    let tie = false;
    if (n < midN) {
      const d = load<u8>(mid + n);
      if (d > 0x35) up = true;
      else if (d == 0x35) {
        tie = true;
        for (let i = n + 1; i < midN; i++) {
          if (load<u8>(mid + i) != 0x30) {
            tie = false;
            break;
          }
        }
        up = tie ? (load<u8>(mid + n - 1) & 1) == 1 : true;
      }
    }
    if (acceptCandidate(cand, mid, midN, n, up, low, lowN, high, highN, inclusive, scaleFrac)) return;
    if (tie && acceptCandidate(cand, mid, midN, n, !up, low, lowN, high, highN, inclusive, scaleFrac)) return;
  }
  // unreachable: the full expansion is always inside
  let k = midN;
  while (k > 1 && load<u8>(mid + k - 1) == 0x30) k--;
  sdDigits = mid;
  sdN = k;
  sdExp = <i32>midN - scaleFrac;
}
