// Arrays, objects and sets: builders, lookup, iteration. Objects and sets stay sorted in Rego order so that
// lookup is a binary search and iteration/dumps are deterministic (OPA sorts keys and members when dumping).
import { alloc, realloc, heapMark, heapRelease } from "./heap";
import { T_ARRAY, T_OBJECT, T_SET, T_NUMBER, T_STRING, tag, mkColl, collLen, collCap, collData, arrAt, objKeyAt, objValAt } from "./value";
import { compare, equal, bytesCompare } from "./compare";
import { numAsI64, numLastI64, mkInt } from "./number";

/** compare() with the string-string case inlined: object keys are nearly always strings. */
@inline function keyCompare(a: usize, b: usize): i32 {
  if (load<u32>(a) == T_STRING && load<u32>(b) == T_STRING) {
    return bytesCompare(<usize>load<u32>(a, 8), load<u32>(a, 4), <usize>load<u32>(b, 8), load<u32>(b, 4));
  }
  return compare(a, b);
}

/** Ensures room for one more slot of width (4 or 8 bytes). */
function grow(c: usize, width: u32): void {
  const len = collLen(c);
  const cap = collCap(c);
  if (len < cap) return;
  const nc: u32 = cap < 4 ? 8 : cap << 1;
  const d = realloc(collData(c), <usize>cap * width, <usize>nc * width);
  store<u32>(c, <u32>d, 12);
  store<u32>(c, nc, 8);
}

export function arrPush(a: usize, v: usize): void {
  grow(a, 4);
  const n = collLen(a);
  store<u32>(collData(a) + (<usize>n << 2), <u32>v);
  store<u32>(a, n + 1, 4);
}

/** Binary search over sorted keys (width 8 for objects, 4 for sets): index, or -(insertion point) - 1. */
export function search(c: usize, key: usize): i32 {
  const shift: u32 = tag(c) == T_OBJECT ? 3 : 2;
  const d = collData(c);
  let lo: i32 = 0;
  let hi: i32 = <i32>collLen(c) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = keyCompare(<usize>load<u32>(d + (<usize>mid << shift)), key);
    if (r == 0) return mid;
    if (r < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

/** Inserts (k, v); returns false when k is present with a different value (present with an equal value is ok). */
export function objInsert(o: usize, k: usize, v: usize): bool {
  const n = collLen(o);
  // appending in order is the common case for builders fed from sorted iteration
  if (n == 0 || compare(objKeyAt(o, n - 1), k) < 0) {
    grow(o, 8);
    const p = collData(o) + (<usize>n << 3);
    store<u32>(p, <u32>k);
    store<u32>(p, <u32>v, 4);
    store<u32>(o, n + 1, 4);
    return true;
  }
  const i = search(o, k);
  if (i >= 0) return equal(objValAt(o, <u32>i), v);
  const at = <u32>(-i - 1);
  grow(o, 8);
  const p = collData(o) + (<usize>at << 3);
  memory.copy(p + 8, p, <usize>(n - at) << 3);
  store<u32>(p, <u32>k);
  store<u32>(p, <u32>v, 4);
  store<u32>(o, n + 1, 4);
  return true;
}

/** Inserts or replaces (for `with` patches and object.union-style builders). */
export function objPut(o: usize, k: usize, v: usize): void {
  const i = search(o, k);
  if (i >= 0) {
    store<u32>(collData(o) + (<usize>i << 3), <u32>v, 4);
    return;
  }
  const n = collLen(o);
  const at = <u32>(-i - 1);
  grow(o, 8);
  const p = collData(o) + (<usize>at << 3);
  memory.copy(p + 8, p, <usize>(n - at) << 3);
  store<u32>(p, <u32>k);
  store<u32>(p, <u32>v, 4);
  store<u32>(o, n + 1, 4);
}

export function setAdd(s: usize, v: usize): void {
  const n = collLen(s);
  if (n == 0 || compare(arrAt(s, n - 1), v) < 0) {
    grow(s, 4);
    store<u32>(collData(s) + (<usize>n << 2), <u32>v);
    store<u32>(s, n + 1, 4);
    return;
  }
  const i = search(s, v);
  if (i >= 0) return;
  const at = <u32>(-i - 1);
  grow(s, 4);
  const p = collData(s) + (<usize>at << 2);
  memory.copy(p + 4, p, <usize>(n - at) << 2);
  store<u32>(p, <u32>v);
  store<u32>(s, n + 1, 4);
}

export function objGet(o: usize, k: usize): usize {
  const i = search(o, k);
  return i >= 0 ? objValAt(o, <u32>i) : 0;
}

export function setHas(s: usize, v: usize): bool {
  return search(s, v) >= 0;
}

/** Array index from a key value: -1 unless it is a whole number in range. */
export function arrIndex(a: usize, k: usize): i32 {
  if (k == 0 || tag(k) != T_NUMBER || !numAsI64(k)) return -1;
  const i = numLastI64();
  if (i < 0 || i >= <i64>collLen(a)) return -1;
  return <i32>i;
}

export function get(c: usize, k: usize): usize {
  if (c == 0 || k == 0) return 0;
  const t = tag(c);
  if (t == T_OBJECT) return objGet(c, k);
  if (t == T_ARRAY) {
    const i = arrIndex(c, k);
    return i < 0 ? 0 : arrAt(c, <u32>i);
  }
  if (t == T_SET) {
    const i = search(c, k);
    return i >= 0 ? arrAt(c, <u32>i) : 0;
  }
  return 0;
}

/** Position of the key after prevKey (0 → first), or -1 at the end. */
export function iterPos(c: usize, prevKey: usize): i32 {
  const t = tag(c);
  const n = <i32>collLen(c);
  let next: i32 = 0;
  if (prevKey != 0) {
    if (t == T_ARRAY) {
      next = arrIndex(c, prevKey);
      if (next < 0) return -1;
      next++;
    } else {
      const i = search(c, prevKey);
      next = i >= 0 ? i + 1 : -i - 1;
    }
  }
  return next < n ? next : -1;
}

export function iterNext(c: usize, prevKey: usize): usize {
  if (c == 0) return 0;
  const t = tag(c);
  if (t != T_ARRAY && t != T_OBJECT && t != T_SET) return 0;
  const i = iterPos(c, prevKey);
  if (i < 0) return 0;
  if (t == T_ARRAY) return mkInt(i);
  if (t == T_OBJECT) return objKeyAt(c, <u32>i);
  return arrAt(c, <u32>i);
}

/** A builder copy with the same contents (sorted order preserved). */
export function copyShallow(c: usize): usize {
  const t = tag(c);
  if (t != T_ARRAY && t != T_OBJECT && t != T_SET) return c;
  const n = collLen(c);
  const r = mkColl(t, n);
  memory.copy(collData(r), collData(c), <usize>n << (t == T_OBJECT ? 3 : 2));
  store<u32>(r, n, 4);
  return r;
}

/** Sorts (stable merge sort) slots of width words (1 or 2) by their first word, in Rego order. */
export function sortSlots(d: usize, n: u32, width: u32): void {
  if (n < 2) return;
  const shift: u32 = width == 2 ? 3 : 2;
  if (n <= 12) {
    // insertion sort: small collections dominate
    for (let i: u32 = 1; i < n; i++) {
      const a = load<u64>(d + (<usize>i << shift));
      const ka = width == 2 ? <usize>(<u32>a) : <usize>load<u32>(d + (<usize>i << shift));
      const wa = load<u32>(d + (<usize>i << shift));
      const va = width == 2 ? load<u32>(d + (<usize>i << shift), 4) : 0;
      let j = i;
      while (j > 0 && keyCompare(<usize>load<u32>(d + (<usize>(j - 1) << shift)), ka) > 0) {
        if (width == 2) store<u64>(d + (<usize>j << shift), load<u64>(d + (<usize>(j - 1) << shift)));
        else store<u32>(d + (<usize>j << shift), load<u32>(d + (<usize>(j - 1) << shift)));
        j--;
      }
      store<u32>(d + (<usize>j << shift), wa);
      if (width == 2) store<u32>(d + (<usize>j << shift), va, 4);
    }
    return;
  }
  const mark = heapMark();
  const tmp = alloc(<usize>n << shift);
  let src = d;
  let dst = tmp;
  for (let run: u32 = 1; run < n; run <<= 1) {
    for (let lo: u32 = 0; lo < n; lo += run << 1) {
      const mid = lo + run < n ? lo + run : n;
      const hi = lo + (run << 1) < n ? lo + (run << 1) : n;
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        // take from the right only when strictly smaller: stability
        // slots are moved with plain loads/stores: memory.copy per 4- or 8-byte slot costs more than the compare
        if (keyCompare(<usize>load<u32>(src + (<usize>j << shift)), <usize>load<u32>(src + (<usize>i << shift))) < 0) {
          if (shift == 3) store<u64>(dst + (<usize>k << 3), load<u64>(src + (<usize>j << 3)));
          else store<u32>(dst + (<usize>k << 2), load<u32>(src + (<usize>j << 2)));
          j++;
        } else {
          if (shift == 3) store<u64>(dst + (<usize>k << 3), load<u64>(src + (<usize>i << 3)));
          else store<u32>(dst + (<usize>k << 2), load<u32>(src + (<usize>i << 2)));
          i++;
        }
        k++;
      }
      if (i < mid) memory.copy(dst + (<usize>k << shift), src + (<usize>i << shift), <usize>(mid - i) << shift);
      k += mid - i;
      if (j < hi) memory.copy(dst + (<usize>k << shift), src + (<usize>j << shift), <usize>(hi - j) << shift);
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src != d) memory.copy(d, src, <usize>n << shift);
  heapRelease(mark);
}

/** Sorts and removes duplicates: objects keep the last value for a repeated key (like Go's encoding/json). */
export function sortUnique(c: usize): void {
  const t = tag(c);
  const n = collLen(c);
  const width: u32 = t == T_OBJECT ? 2 : 1;
  const shift: u32 = width == 2 ? 3 : 2;
  const d = collData(c);
  sortSlots(d, n, width);
  if (n < 2) return;
  let out: u32 = 0;
  for (let i: u32 = 1; i < n; i++) {
    const prev = <usize>load<u32>(d + (<usize>out << shift));
    const cur = <usize>load<u32>(d + (<usize>i << shift));
    if (compare(prev, cur) == 0) {
      if (width == 2) store<u32>(d + (<usize>out << shift), load<u32>(d + (<usize>i << shift), 4), 4);
    } else {
      out++;
      if (out != i) memory.copy(d + (<usize>out << shift), d + (<usize>i << shift), 1 << shift);
    }
  }
  store<u32>(c, out + 1, 4);
}
