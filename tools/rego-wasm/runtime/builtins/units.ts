// units.parse_bytes ("10KiB" → 10240) and units.parse ("1.5k" → 1500, "100m" → 0.1): decimal (k, M, G, T, P, E)
// and binary (Ki, Mi, ... Ei) suffixes, as OPA defines them.
import { T_STRING, T_NUMBER, tag, strLen, strPtr } from "../value";
import { parseNumber, mkInt, mkFloat, numF64, numIsIntegral } from "../number";
import { numMul } from "./arith";
import { typeErr, builtinErr } from "./mode";

let multInt: i64 = 1; // valid when multIsInt
let multF: f64 = 1;
let multIsInt = true;

/** Sets the multiplier for the (lower-cased when `lower`) unit bytes; false when unknown. */
function unitMultiplier(p: usize, n: u32, bytes: bool): bool {
  multIsInt = true;
  if (n == 0) {
    multInt = 1;
    return true;
  }
  let c0 = <u32>load<u8>(p);
  if (bytes && c0 >= 0x41 && c0 <= 0x5a) c0 += 32;
  let rest = n - 1;
  let binary = false;
  if (rest > 0) {
    let c1 = <u32>load<u8>(p + 1);
    if (bytes && c1 >= 0x41 && c1 <= 0x5a) c1 += 32;
    if (c1 == 0x69) {
      binary = true;
      rest--;
    }
  }
  if (bytes && rest == 1) {
    let c = <u32>load<u8>(p + n - 1);
    if (c >= 0x41 && c <= 0x5a) c += 32;
    if (c != 0x62) return false; // trailing "b"
    rest--;
  }
  if (rest != 0) return false;
  let power: i32 = -1;
  // for units.parse, "m" is milli and "M" mega; for bytes everything is lower-cased and "m" is mega
  if (!bytes && c0 == 0x6d && !binary) {
    multIsInt = false;
    multF = 0.001;
    return true;
  }
  const c = c0 | 0x20;
  if (c == 0x6b) power = 1;
  else if (c == 0x6d) power = 2;
  else if (c == 0x67) power = 3;
  else if (c == 0x74) power = 4;
  else if (c == 0x70) power = 5;
  else if (c == 0x65) power = 6;
  if (power < 0) return false;
  if (!bytes && c0 != 0x6b && c0 != 0x4b && c0 >= 0x61) return false; // units.parse: upper case except k
  multInt = 1;
  for (let i = 0; i < power; i++) multInt *= binary ? 1024 : 1000;
  return true;
}

function parseUnits(name: string, s: usize, bytes: bool): usize {
  if (s == 0 || tag(s) != T_STRING) return typeErr(name, 1, "string", s);
  let p = strPtr(s);
  let n = strLen(s);
  // OPA strips surrounding quotes
  if (n >= 2 && load<u8>(p) == 0x22 && load<u8>(p + n - 1) == 0x22) {
    p++;
    n -= 2;
  }
  for (let i: u32 = 0; i < n; i++) if (load<u8>(p + i) == 0x20) return builtinErr(name, "spaces not allowed in resource strings");
  let k: u32 = 0;
  if (!bytes && k < n && load<u8>(p) == 0x2d) k++;
  while (k < n && ((<u32>load<u8>(p + k) - 0x30) < 10 || load<u8>(p + k) == 0x2e)) k++;
  if (k == 0 || (k == 1 && load<u8>(p) == 0x2d)) return builtinErr(name, bytes ? "no byte amount provided" : "no amount provided");
  const num = parseNumber(p, k, false);
  if (num == 0 || tag(num) != T_NUMBER) return builtinErr(name, "could not parse amount to a number");
  if (!unitMultiplier(p + k, n - k, bytes)) return builtinErr(name, "unknown unit");
  if (!multIsInt) return mkFloat(numF64(num) * multF);
  if (numIsIntegral(num)) return numMul(num, mkInt(multInt));
  const x = numF64(num) * <f64>multInt;
  // bytes are whole: OPA truncates the product
  return bytes ? mkFloat(Math.trunc(x)) : mkFloat(x);
}

export function rt_bi_units_parse_bytes(s: usize): usize {
  return parseUnits("units.parse_bytes", s, true);
}

export function rt_bi_units_parse(s: usize): usize {
  return parseUnits("units.parse", s, false);
}
