// Rego's total order: null < boolean < number < string < array < object < set. Arrays compare element-wise
// then by length; objects compare their (sorted) keys and values pair by pair, then by size; sets their sorted
// elements. Strings compare by UTF-8 bytes, which is code-point order.
import { T_NULL, T_BOOLEAN, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, tag, boolOf, strLen, strPtr, collLen, arrAt, objKeyAt, objValAt } from "./value";
import { numCompare } from "./number";

export function bytesCompare(ap: usize, an: u32, bp: usize, bn: u32): i32 {
  const n = an < bn ? an : bn;
  let i: u32 = 0;
  // word-at-a-time while equal
  while (i + 4 <= n && load<u32>(ap + i) == load<u32>(bp + i)) i += 4;
  for (; i < n; i++) {
    const x = load<u8>(ap + i);
    const y = load<u8>(bp + i);
    if (x != y) return x < y ? -1 : 1;
  }
  return an < bn ? -1 : an > bn ? 1 : 0;
}

export function compare(a: usize, b: usize): i32 {
  if (a == b) return 0;
  // undefined sorts first; generated code should never compare it, but keep the order total
  if (a == 0) return -1;
  if (b == 0) return 1;
  const ta = tag(a);
  const tb = tag(b);
  if (ta != tb) return ta < tb ? -1 : 1;
  if (ta == T_NULL) return 0;
  if (ta == T_BOOLEAN) {
    const x = <i32>boolOf(a);
    const y = <i32>boolOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ta == T_NUMBER) return numCompare(a, b);
  if (ta == T_STRING) return bytesCompare(strPtr(a), strLen(a), strPtr(b), strLen(b));
  const na = collLen(a);
  const nb = collLen(b);
  const n = na < nb ? na : nb;
  if (ta == T_OBJECT) {
    for (let i: u32 = 0; i < n; i++) {
      let c = compare(objKeyAt(a, i), objKeyAt(b, i));
      if (c != 0) return c;
      c = compare(objValAt(a, i), objValAt(b, i));
      if (c != 0) return c;
    }
  } else {
    // arrays and sets: element by element (sets are kept sorted)
    for (let i: u32 = 0; i < n; i++) {
      const c = compare(arrAt(a, i), arrAt(b, i));
      if (c != 0) return c;
    }
  }
  return na < nb ? -1 : na > nb ? 1 : 0;
}

export function equal(a: usize, b: usize): bool {
  if (a == b) return true;
  if (a == 0 || b == 0) return false;
  const ta = tag(a);
  if (ta != tag(b)) return false;
  if (ta == T_STRING) {
    const n = strLen(a);
    return n == strLen(b) && bytesCompare(strPtr(a), n, strPtr(b), n) == 0;
  }
  if (ta == T_ARRAY || ta >= T_OBJECT) {
    if (collLen(a) != collLen(b)) return false;
  }
  return compare(a, b) == 0;
}

