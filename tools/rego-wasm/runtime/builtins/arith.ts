// Arithmetic builtins (plus, minus, mul, div, rem, abs, round, ceil, floor, numbers.range) and the set forms of
// minus / and / or. Integers are exact (i64 fast path, decimal big integers beyond); anything else is f64.
import { T_NUMBER, T_SET, T_ARRAY, tag, mkColl, collLen, arrAt } from "../value";
import { K_INT, K_TEXT, numKind, numI64, numF64, mkInt, mkFloat, numIsIntegral, numIsIntSyntax, numAsI64, numLastI64 } from "../number";
import { bigArith } from "../bigint";
import { setAdd, setHas, arrPush } from "../collections";
import { typeErr, builtinErr } from "./mode";

@inline function isNum(v: usize): bool {
  return v != 0 && tag(v) == T_NUMBER;
}
@inline function isSet(v: usize): bool {
  return v != 0 && tag(v) == T_SET;
}

/**
 * Exact big-integer arithmetic when one operand is big integer text and both are written as integers (OPA's
 * math/big path: big.Int only parses integer syntax; "1e20" or "2.5e98" go through floats there too).
 */
function bothBigInts(a: usize, b: usize): bool {
  return (numKind(a) == K_TEXT || numKind(b) == K_TEXT) && numIsIntSyntax(a) && numIsIntSyntax(b);
}

export function numAdd(a: usize, b: usize): usize {
  if (numKind(a) == K_INT && numKind(b) == K_INT) {
    const x = numI64(a);
    const y = numI64(b);
    const r = x + y;
    if (((x ^ r) & (y ^ r)) >= 0) return mkInt(r);
    return bigArith(0, a, b);
  }
  if (bothBigInts(a, b)) return bigArith(0, a, b);
  return mkFloat(numF64(a) + numF64(b));
}

export function numSub(a: usize, b: usize): usize {
  if (numKind(a) == K_INT && numKind(b) == K_INT) {
    const x = numI64(a);
    const y = numI64(b);
    const r = x - y;
    if (((x ^ y) & (x ^ r)) >= 0) return mkInt(r);
    return bigArith(1, a, b);
  }
  if (bothBigInts(a, b)) return bigArith(1, a, b);
  return mkFloat(numF64(a) - numF64(b));
}

export function numMul(a: usize, b: usize): usize {
  if (numKind(a) == K_INT && numKind(b) == K_INT) {
    const x = numI64(a);
    const y = numI64(b);
    const r = x * y;
    // the MIN × -1 cases first: r / x would trap on them
    const overflow = (x == -1 && y == i64.MIN_VALUE) || (y == -1 && x == i64.MIN_VALUE) || (x != 0 && r / x != y);
    if (!overflow) return mkInt(r);
    return bigArith(2, a, b);
  }
  if (bothBigInts(a, b)) return bigArith(2, a, b);
  return mkFloat(numF64(a) * numF64(b));
}

export function rt_bi_plus(a: usize, b: usize): usize {
  if (!isNum(a)) return typeErr("plus", 1, "number", a);
  if (!isNum(b)) return typeErr("plus", 2, "number", b);
  return numAdd(a, b);
}

/** Numbers: subtraction; sets: difference. */
export function rt_bi_minus(a: usize, b: usize): usize {
  if (isSet(a) && isSet(b)) {
    const r = mkColl(T_SET, collLen(a));
    const n = collLen(a);
    for (let i: u32 = 0; i < n; i++) if (!setHas(b, arrAt(a, i))) setAdd(r, arrAt(a, i));
    return r;
  }
  if (isNum(a) && isNum(b)) return numSub(a, b);
  // OPA's wording: operand 1 may be either kind; operand 2 must then match operand 1
  if (!isNum(a) && !isSet(a)) return typeErr("minus", 1, "one of {number, set}", a);
  return typeErr("minus", 2, isSet(a) ? "set" : "number", b);
}

export function rt_bi_mul(a: usize, b: usize): usize {
  if (!isNum(a)) return typeErr("mul", 1, "number", a);
  if (!isNum(b)) return typeErr("mul", 2, "number", b);
  return numMul(a, b);
}

export function rt_bi_div(a: usize, b: usize): usize {
  if (!isNum(a)) return typeErr("div", 1, "number", a);
  if (!isNum(b)) return typeErr("div", 2, "number", b);
  if (numF64(b) == 0 && numIsIntegral(b)) return builtinErr("div", "divide by zero");
  if (numKind(a) == K_INT && numKind(b) == K_INT) {
    const x = numI64(a);
    const y = numI64(b);
    if (!(x == i64.MIN_VALUE && y == -1) && x % y == 0) return mkInt(x / y);
  }
  return mkFloat(numF64(a) / numF64(b));
}

export function rt_bi_rem(a: usize, b: usize): usize {
  if (!isNum(a)) return typeErr("rem", 1, "number", a);
  if (!isNum(b)) return typeErr("rem", 2, "number", b);
  if (!numIsIntegral(a) || !numIsIntegral(b)) return builtinErr("rem", "modulo on floating-point number");
  if (!numAsI64(b)) return builtinErr("rem", "modulo on big integers is not supported");
  const y = numLastI64();
  if (y == 0) return builtinErr("rem", "modulo by zero");
  if (!numAsI64(a)) return builtinErr("rem", "modulo on big integers is not supported");
  const x = numLastI64();
  if (y == -1) return mkInt(0);
  return mkInt(x % y);
}

export function rt_bi_abs(a: usize): usize {
  if (!isNum(a)) return typeErr("abs", 1, "number", a);
  if (numKind(a) == K_INT) {
    const x = numI64(a);
    if (x >= 0) return a;
    if (x != i64.MIN_VALUE) return mkInt(-x);
  }
  if (numF64(a) >= 0) return a;
  if (numIsIntSyntax(a)) return bigArith(1, mkInt(0), a);
  return mkFloat(-numF64(a));
}

/** Half away from zero, like Go's math.Round (OPA's round). */
export function rt_bi_round(a: usize): usize {
  if (!isNum(a)) return typeErr("round", 1, "number", a);
  if (numIsIntegral(a)) return a;
  const x = numF64(a);
  const r = x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
  return mkFloat(r);
}

export function rt_bi_ceil(a: usize): usize {
  if (!isNum(a)) return typeErr("ceil", 1, "number", a);
  if (numIsIntegral(a)) return a;
  return mkFloat(Math.ceil(numF64(a)));
}

export function rt_bi_floor(a: usize): usize {
  if (!isNum(a)) return typeErr("floor", 1, "number", a);
  if (numIsIntegral(a)) return a;
  return mkFloat(Math.floor(numF64(a)));
}

/** Inclusive integer range, descending when a > b. */
export function rt_bi_numbers_range(a: usize, b: usize): usize {
  if (!isNum(a)) return typeErr("numbers.range", 1, "number", a);
  if (!isNum(b)) return typeErr("numbers.range", 2, "number", b);
  if (!numAsI64(a)) return builtinErr("numbers.range", "operand 1 must be integer number but got floating-point number");
  const x = numLastI64();
  if (!numAsI64(b)) return builtinErr("numbers.range", "operand 2 must be integer number but got floating-point number");
  const y = numLastI64();
  const n = x <= y ? y - x + 1 : x - y + 1;
  if (n > 10000000) return builtinErr("numbers.range", "range too large");
  const r = mkColl(T_ARRAY, <u32>n);
  const step: i64 = x <= y ? 1 : -1;
  for (let i: i64 = 0; i < n; i++) arrPush(r, mkInt(x + i * step));
  return r;
}

/** Set intersection (`&`). */
export function rt_bi_and(a: usize, b: usize): usize {
  if (!isSet(a)) return typeErr("and", 1, "set", a);
  if (!isSet(b)) return typeErr("and", 2, "set", b);
  const r = mkColl(T_SET, 4);
  const n = collLen(a);
  for (let i: u32 = 0; i < n; i++) if (setHas(b, arrAt(a, i))) setAdd(r, arrAt(a, i));
  return r;
}

/** Set union (`|`). */
export function rt_bi_or(a: usize, b: usize): usize {
  if (!isSet(a)) return typeErr("or", 1, "set", a);
  if (!isSet(b)) return typeErr("or", 2, "set", b);
  const r = mkColl(T_SET, collLen(a) + collLen(b));
  let n = collLen(a);
  for (let i: u32 = 0; i < n; i++) setAdd(r, arrAt(a, i));
  n = collLen(b);
  for (let i: u32 = 0; i < n; i++) setAdd(r, arrAt(b, i));
  return r;
}

/** numbers.range_step(a, b, step): a, a±step, ... up to b inclusive; step must be a positive integer. */
export function rt_bi_numbers_range_step(a: usize, b: usize, st: usize): usize {
  if (!isNum(a)) return typeErr("numbers.range_step", 1, "number", a);
  if (!isNum(b)) return typeErr("numbers.range_step", 2, "number", b);
  if (!isNum(st)) return typeErr("numbers.range_step", 3, "number", st);
  if (!numAsI64(a)) return builtinErr("numbers.range_step", "operand 1 must be integer number but got floating-point number");
  const x = numLastI64();
  if (!numAsI64(b)) return builtinErr("numbers.range_step", "operand 2 must be integer number but got floating-point number");
  const y = numLastI64();
  if (!numAsI64(st)) return builtinErr("numbers.range_step", "operand 3 must be integer number but got floating-point number");
  const step = numLastI64();
  if (step <= 0) return builtinErr("numbers.range_step", "step must be a positive integer");
  const span = x <= y ? y - x : x - y;
  if (span / step > 10000000) return builtinErr("numbers.range_step", "range too large");
  const r = mkColl(T_ARRAY, <u32>(span / step + 1));
  const dir: i64 = x <= y ? 1 : -1;
  for (let k: i64 = 0; k * step <= span; k++) arrPush(r, mkInt(x + dir * k * step));
  return r;
}
