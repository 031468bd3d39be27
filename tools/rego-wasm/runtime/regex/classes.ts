// Character classes: sorted, disjoint [lo, hi] code-point ranges (pairs of i32) built in place at the top of the
// scratch arena, plus the fixed groups (\d \s \w, POSIX [:name:]) and simple case folding for (?i).
//
// Every class, however it was written (negated, folded, with \D inside, ...), ends up as one plain range list, so
// the matcher only ever asks "is c inside one of these ranges".
import { arenaTopGet, arenaTopSet, arenaEndGet, fail, reErr, ERR_LARGE } from "./arena";

export const MAX_RUNE: i32 = 0x10ffff;

// ---------------------------------------------------------------------------------------------------------------
// Fixed groups. GROUP_RANGES holds all ranges back to back; GROUP_INDEX holds (first pair, pair count) per id.
// The Perl classes are ASCII-only, as in Go (\s is [\t\n\f\r ], without \v).
export const G_DIGIT: i32 = 0; // \d
export const G_SPACE: i32 = 1; // \s
export const G_WORD: i32 = 2; // \w
export const G_ANY: i32 = 17; // \p{Any}

const GROUP_RANGES = memory.data<i32>([
  0x30, 0x39, // 0 \d
  9, 10, 12, 13, 32, 32, // 1 \s
  0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a, // 2 \w
  0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a, // 3 alnum
  0x41, 0x5a, 0x61, 0x7a, // 4 alpha
  0, 0x7f, // 5 ascii
  9, 9, 32, 32, // 6 blank
  0, 0x1f, 0x7f, 0x7f, // 7 cntrl
  0x30, 0x39, // 8 digit
  0x21, 0x7e, // 9 graph
  0x61, 0x7a, // 10 lower
  0x20, 0x7e, // 11 print
  0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e, // 12 punct
  9, 13, 32, 32, // 13 space
  0x41, 0x5a, // 14 upper
  0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a, // 15 word
  0x30, 0x39, 0x41, 0x46, 0x61, 0x66, // 16 xdigit
  0, 0x10ffff, // 17 \p{Any}
]);
const GROUP_INDEX = memory.data<i32>([
  0, 1, 1, 3, 4, 4, 8, 3, 11, 2, 13, 1, 14, 2, 16, 2, 18, 1, 19, 1, 20, 1, 21, 1, 22, 4, 26, 2, 28, 1, 29, 4, 33, 3,
  36, 1,
]);

/** Id of the POSIX class named by the ASCII bytes [p, p+len) (as in `[[:alpha:]]`), or -1. */
export function posixGroup(p: usize, len: i32): i32 {
  if (nameIs(p, len, "alnum")) return 3;
  if (nameIs(p, len, "alpha")) return 4;
  if (nameIs(p, len, "ascii")) return 5;
  if (nameIs(p, len, "blank")) return 6;
  if (nameIs(p, len, "cntrl")) return 7;
  if (nameIs(p, len, "digit")) return 8;
  if (nameIs(p, len, "graph")) return 9;
  if (nameIs(p, len, "lower")) return 10;
  if (nameIs(p, len, "print")) return 11;
  if (nameIs(p, len, "punct")) return 12;
  if (nameIs(p, len, "space")) return 13;
  if (nameIs(p, len, "upper")) return 14;
  if (nameIs(p, len, "word")) return 15;
  if (nameIs(p, len, "xdigit")) return 16;
  return -1;
}

/** Compares raw bytes with an ASCII literal (reading a static string allocates nothing). */
export function nameIs(p: usize, len: i32, s: string): bool {
  if (len != s.length) return false;
  for (let i = 0; i < len; i++) {
    if (<i32>load<u8>(p + <usize>i) != s.charCodeAt(i)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Simple case folding, (lo, hi, kind, delta) per row:
//   kind 0: every c in [lo, hi] is equivalent to c + delta;
//   kind 1: pairs (even upper, odd lower) — c is equivalent to c ^ 1;
//   kind 2: pairs (odd upper, even lower).
// Each orbit is listed completely from each member (k ~ K ~ U+212A KELVIN SIGN etc.), so a single pass over the
// table gives the full fold of a range. Coverage: ASCII, Latin-1, Latin Extended-A and Additional, Greek,
// Cyrillic, Armenian, fullwidth Latin — the scripts identifiers and AWS names use; other scripts stay
// case-sensitive under (?i) (Go folds all of Unicode).
const FOLD = memory.data<i32>([
  0x41, 0x5a, 0, 32,
  0x61, 0x7a, 0, -32,
  0xc0, 0xd6, 0, 32,
  0xd8, 0xde, 0, 32,
  0xe0, 0xf6, 0, -32,
  0xf8, 0xfe, 0, -32,
  0xff, 0xff, 0, 0x178 - 0xff,
  0x178, 0x178, 0, 0xff - 0x178,
  0x100, 0x12f, 1, 0,
  0x132, 0x137, 1, 0,
  0x139, 0x148, 2, 0,
  0x14a, 0x177, 1, 0,
  0x179, 0x17e, 2, 0,
  // s S U+017F LONG S
  0x53, 0x53, 0, 0x17f - 0x53,
  0x73, 0x73, 0, 0x17f - 0x73,
  0x17f, 0x17f, 0, 0x53 - 0x17f,
  0x17f, 0x17f, 0, 0x73 - 0x17f,
  // k K U+212A KELVIN SIGN
  0x4b, 0x4b, 0, 0x212a - 0x4b,
  0x6b, 0x6b, 0, 0x212a - 0x6b,
  0x212a, 0x212a, 0, 0x4b - 0x212a,
  0x212a, 0x212a, 0, 0x6b - 0x212a,
  // Å å U+212B ANGSTROM SIGN
  0xc5, 0xc5, 0, 0x212b - 0xc5,
  0xe5, 0xe5, 0, 0x212b - 0xe5,
  0x212b, 0x212b, 0, 0xc5 - 0x212b,
  0x212b, 0x212b, 0, 0xe5 - 0x212b,
  // µ (micro) Μ μ
  0xb5, 0xb5, 0, 0x39c - 0xb5,
  0xb5, 0xb5, 0, 0x3bc - 0xb5,
  0x39c, 0x39c, 0, 0xb5 - 0x39c,
  0x3bc, 0x3bc, 0, 0xb5 - 0x3bc,
  // ß U+1E9E
  0xdf, 0xdf, 0, 0x1e9e - 0xdf,
  0x1e9e, 0x1e9e, 0, 0xdf - 0x1e9e,
  // Greek
  0x391, 0x3a1, 0, 32,
  0x3a3, 0x3ab, 0, 32,
  0x3b1, 0x3c1, 0, -32,
  0x3c3, 0x3cb, 0, -32,
  0x3c2, 0x3c2, 0, 0x3a3 - 0x3c2,
  0x3c2, 0x3c2, 0, 0x3c3 - 0x3c2,
  0x3a3, 0x3a3, 0, 0x3c2 - 0x3a3,
  0x3c3, 0x3c3, 0, 0x3c2 - 0x3c3,
  0x386, 0x386, 0, 0x3ac - 0x386,
  0x3ac, 0x3ac, 0, 0x386 - 0x3ac,
  0x388, 0x38a, 0, 37,
  0x3ad, 0x3af, 0, -37,
  0x38c, 0x38c, 0, 64,
  0x3cc, 0x3cc, 0, -64,
  0x38e, 0x38f, 0, 63,
  0x3cd, 0x3ce, 0, -63,
  // Cyrillic
  0x400, 0x40f, 0, 80,
  0x450, 0x45f, 0, -80,
  0x410, 0x42f, 0, 32,
  0x430, 0x44f, 0, -32,
  0x460, 0x481, 1, 0,
  0x48a, 0x4bf, 1, 0,
  0x4c0, 0x4c0, 0, 15,
  0x4cf, 0x4cf, 0, -15,
  0x4c1, 0x4ce, 2, 0,
  0x4d0, 0x52f, 1, 0,
  // Armenian
  0x531, 0x556, 0, 48,
  0x561, 0x586, 0, -48,
  // Latin Extended Additional
  0x1e00, 0x1e95, 1, 0,
  0x1ea0, 0x1eff, 1, 0,
  // Fullwidth Latin
  0xff21, 0xff3a, 0, 32,
  0xff41, 0xff5a, 0, -32,
]);
const FOLD_ROWS: i32 = 63; // rows in FOLD above (keep in step when editing the table)

// ---------------------------------------------------------------------------------------------------------------
// Builder. The class under construction occupies [clsBase, clsBase + 8*clsCount) at the top of the arena; nothing
// else is allocated while a class is built, so it can grow in place.
let clsBase: usize = 0;
let clsCount: i32 = 0;
/** Appends never merge into ranges below this index (a group being negated must stay separate). */
let clsFloor: i32 = 0;

export function clsBegin(): void {
  clsBase = arenaTopGet();
  clsCount = 0;
  clsFloor = 0;
}

@inline function rlo(i: i32): i32 {
  return load<i32>(clsBase + (<usize>i << 3));
}
@inline function rhi(i: i32): i32 {
  return load<i32>(clsBase + (<usize>i << 3) + 4);
}
@inline function rset(i: i32, lo: i32, hi: i32): void {
  store<i32>(clsBase + (<usize>i << 3), lo);
  store<i32>(clsBase + (<usize>i << 3) + 4, hi);
}

/** Adds [lo, hi]; coalesces with the previous range when they touch, which keeps fold output compact. */
export function clsAdd(lo: i32, hi: i32): void {
  if (reErr != 0) return;
  if (clsCount > clsFloor) {
    const l = rlo(clsCount - 1);
    const h = rhi(clsCount - 1);
    if (lo <= h + 1 && hi + 1 >= l) {
      rset(clsCount - 1, lo < l ? lo : l, hi > h ? hi : h);
      return;
    }
  }
  if (clsBase + (<usize>(clsCount + 1) << 3) > arenaEndGet()) {
    fail(ERR_LARGE);
    return;
  }
  rset(clsCount, lo, hi);
  clsCount++;
}

/** Adds [lo, hi] and, under (?i), every code point equivalent to one in it. */
export function clsAddRange(lo: i32, hi: i32, fold: bool): void {
  clsAdd(lo, hi);
  if (!fold) return;
  for (let r = 0; r < FOLD_ROWS; r++) {
    const row = FOLD + (<usize>r << 4);
    const flo = load<i32>(row);
    const fhi = load<i32>(row, 4);
    const a = lo > flo ? lo : flo;
    const b = hi < fhi ? hi : fhi;
    if (a > b) continue;
    const kind = load<i32>(row, 8);
    if (kind == 0) {
      const d = load<i32>(row, 12);
      clsAdd(a + d, b + d);
    } else if (kind == 1) {
      for (let c = a; c <= b; c++) clsAdd(c ^ 1, c ^ 1);
    } else {
      for (let c = a; c <= b; c++) {
        const p = ((c - 1) ^ 1) + 1;
        clsAdd(p, p);
      }
    }
  }
}

/** Adds a fixed group; Go folds a group first and negates afterwards (so (?i)\W excludes k and K). */
export function clsAddGroup(id: i32, negate: bool, fold: bool): void {
  const first = load<i32>(GROUP_INDEX + (<usize>id << 3));
  const n = load<i32>(GROUP_INDEX + (<usize>id << 3) + 4);
  const start = clsCount;
  clsFloor = start;
  for (let i = 0; i < n; i++) {
    const p = GROUP_RANGES + (<usize>(first + i) << 3);
    clsAddRange(load<i32>(p), load<i32>(p, 4), fold);
  }
  if (negate) {
    sortMerge(start);
    negateFrom(start);
  }
  clsFloor = clsCount;
}

/** Sorts ranges [from, clsCount) by lower bound and merges overlapping or adjacent ones. */
function sortMerge(from: i32): void {
  // Insertion sort: classes are short, and fold output arrives nearly sorted.
  for (let i = from + 1; i < clsCount; i++) {
    const lo = rlo(i);
    const hi = rhi(i);
    let j = i - 1;
    while (j >= from && rlo(j) > lo) {
      rset(j + 1, rlo(j), rhi(j));
      j--;
    }
    rset(j + 1, lo, hi);
  }
  if (clsCount <= from) return;
  let w = from;
  for (let i = from + 1; i < clsCount; i++) {
    const lo = rlo(i);
    const hi = rhi(i);
    if (lo <= rhi(w) + 1) {
      if (hi > rhi(w)) rset(w, rlo(w), hi);
    } else {
      w++;
      rset(w, lo, hi);
    }
  }
  clsCount = w + 1;
}

/** Replaces the sorted, merged ranges [from, clsCount) with their complement in [0, MAX_RUNE]. */
function negateFrom(from: i32): void {
  if (reErr != 0) return;
  const k = clsCount - from;
  // The complement of k disjoint ranges has at most k + 1; build it just above and copy it down.
  const tmp = clsBase + (<usize>clsCount << 3);
  if (tmp + (<usize>(k + 1) << 3) > arenaEndGet()) {
    fail(ERR_LARGE);
    return;
  }
  let n = 0;
  let next = 0; // first code point not yet covered
  for (let i = from; i < clsCount; i++) {
    const lo = rlo(i);
    if (lo > next) {
      store<i32>(tmp + (<usize>n << 3), next);
      store<i32>(tmp + (<usize>n << 3) + 4, lo - 1);
      n++;
    }
    next = rhi(i) + 1;
  }
  if (next <= MAX_RUNE) {
    store<i32>(tmp + (<usize>n << 3), next);
    store<i32>(tmp + (<usize>n << 3) + 4, MAX_RUNE);
    n++;
  }
  memory.copy(clsBase + (<usize>from << 3), tmp, <usize>n << 3);
  clsCount = from + n;
}

/** Finishes the class: sorted, merged, complemented when negated. Claims its memory; returns the range count. */
export function clsFinish(negate: bool): i32 {
  sortMerge(0);
  if (negate) negateFrom(0);
  arenaTopSet(clsBase + (<usize>clsCount << 3));
  return clsCount;
}

export function clsBaseGet(): usize {
  return clsBase;
}

/** Whether code point c lies in one of the n sorted ranges at p. */
export function inRanges(p: usize, n: i32, c: i32): bool {
  if (n <= 8) {
    for (let i = 0; i < n; i++) {
      const q = p + (<usize>i << 3);
      if (c < load<i32>(q)) return false;
      if (c <= load<i32>(q, 4)) return true;
    }
    return false;
  }
  let lo = 0;
  let hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const q = p + (<usize>mid << 3);
    if (c < load<i32>(q)) hi = mid - 1;
    else if (c > load<i32>(q, 4)) lo = mid + 1;
    else return true;
  }
  return false;
}
