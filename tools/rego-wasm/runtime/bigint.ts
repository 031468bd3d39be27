// Exact integer arithmetic beyond i64 on decimal digit strings (schoolbook). OPA computes integers with
// math/big, so 9223372036854775807 + 1 is 9223372036854775808, not a float. Operands and results are magnitudes
// as ASCII digits, most significant first, without leading zeros ("0" for zero).
import { alloc } from "./heap";
import { wNew, wPtr, wLen } from "./writer";
import { numIntDigits, intNeg, numFromIntDigits } from "./number";

export let resPtr: usize = 0;
export let resLen: u32 = 0;

/** Strips leading zeros of [p, p+n) into resPtr/resLen. */
function setResult(p: usize, n: u32): void {
  let i: u32 = 0;
  while (i + 1 < n && load<u8>(p + i) == 0x30) i++;
  resPtr = p + i;
  resLen = n - i;
}

export function magCmp(a: usize, an: u32, b: usize, bn: u32): i32 {
  if (an != bn) return an < bn ? -1 : 1;
  for (let i: u32 = 0; i < an; i++) {
    const x = load<u8>(a + i);
    const y = load<u8>(b + i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

export function magAdd(a: usize, an: u32, b: usize, bn: u32): void {
  const n = (an > bn ? an : bn) + 1;
  const r = alloc(n);
  let carry: u32 = 0;
  for (let k: u32 = 0; k < n; k++) {
    const x: u32 = k < an ? <u32>load<u8>(a + an - 1 - k) - 0x30 : 0;
    const y: u32 = k < bn ? <u32>load<u8>(b + bn - 1 - k) - 0x30 : 0;
    const s = x + y + carry;
    store<u8>(r + n - 1 - k, <u8>(0x30 + s % 10));
    carry = s / 10;
  }
  setResult(r, n);
}

/** a - b for a >= b. */
export function magSub(a: usize, an: u32, b: usize, bn: u32): void {
  const r = alloc(an);
  let borrow: i32 = 0;
  for (let k: u32 = 0; k < an; k++) {
    const x = <i32>load<u8>(a + an - 1 - k) - 0x30;
    const y: i32 = k < bn ? <i32>load<u8>(b + bn - 1 - k) - 0x30 : 0;
    let d = x - y - borrow;
    borrow = 0;
    if (d < 0) {
      d += 10;
      borrow = 1;
    }
    store<u8>(r + an - 1 - k, <u8>(0x30 + d));
  }
  setResult(r, an);
}

export function magMul(a: usize, an: u32, b: usize, bn: u32): void {
  const n = an + bn;
  // u32 accumulators per digit position, carried at the end
  const acc = alloc(<usize>n << 2);
  memory.fill(acc, 0, <usize>n << 2);
  for (let i: u32 = 0; i < an; i++) {
    const x = <u32>load<u8>(a + an - 1 - i) - 0x30;
    if (x == 0) continue;
    for (let j: u32 = 0; j < bn; j++) {
      const y = <u32>load<u8>(b + bn - 1 - j) - 0x30;
      const p = acc + (<usize>(i + j) << 2);
      store<u32>(p, load<u32>(p) + x * y);
    }
    // keep accumulators small: carry after every row
    let carry: u32 = 0;
    for (let k: u32 = 0; k < n; k++) {
      const p = acc + (<usize>k << 2);
      const s = load<u32>(p) + carry;
      store<u32>(p, s % 10);
      carry = s / 10;
    }
  }
  const r = alloc(n);
  for (let k: u32 = 0; k < n; k++) store<u8>(r + n - 1 - k, <u8>(0x30 + load<u32>(acc + (<usize>k << 2))));
  setResult(r, n);
}

/** Exact a+b, a-b or a*b (op 0, 1, 2) for whole numbers of any size. */
export function bigArith(op: i32, a: usize, b: usize): usize {
  const wa = wNew(24);
  numIntDigits(wa, a);
  const an = intNeg;
  const wb = wNew(24);
  numIntDigits(wb, b);
  let bn = intNeg;
  const ap = wPtr(wa);
  const al = wLen(wa);
  const bp = wPtr(wb);
  const bl = wLen(wb);
  if (op == 2) {
    magMul(ap, al, bp, bl);
    return numFromIntDigits(an != bn, resPtr, resLen);
  }
  if (op == 1) bn = !bn;
  if (an == bn) {
    magAdd(ap, al, bp, bl);
    return numFromIntDigits(an, resPtr, resLen);
  }
  // different signs: subtract the smaller magnitude from the larger
  const c = magCmp(ap, al, bp, bl);
  if (c == 0) return numFromIntDigits(false, ap, 0);
  if (c > 0) {
    magSub(ap, al, bp, bl);
    return numFromIntDigits(an, resPtr, resLen);
  }
  magSub(bp, bl, ap, al);
  return numFromIntDigits(bn, resPtr, resLen);
}
