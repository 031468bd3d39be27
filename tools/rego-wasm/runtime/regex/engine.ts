// RE2-syntax regular expressions over UTF-8, matched by a Pike VM (Thompson NFA simulation): the pattern is parsed
// into a small tree, compiled to a program of split/jump/consume instructions, and the text is scanned once while
// keeping the set of live program counters. Time is O(len(text) × program size) whatever the pattern, so there is
// no catastrophic backtracking, and no backreferences or lookaround (RE2 rejects them too).
//
// Only "is there a match" is answered, so captures, greediness and leftmost-first priority are not tracked: they
// change which match is reported, never whether one exists.
//
// Validity follows Go's regexp/syntax (Perl flags, as regexp.Compile uses): the same patterns are rejected with the
// same rules (repeat counts ≤ 1000 including nested products, no stacked repeat operators, escapes, named groups,
// duplicate names, nesting ≤ 1000).
import {
  arenaAlloc, arenaReset, arenaTopGet, arenaEndGet, fail, reErr, ERR_NONE, ERR_INVALID, ERR_UNSUPPORTED, ERR_LARGE,
} from "./arena";
import {
  clsBegin, clsAddRange, clsAddGroup, clsFinish, clsBaseGet, inRanges, posixGroup, nameIs, G_DIGIT, G_SPACE,
  G_WORD, G_ANY, MAX_RUNE,
} from "./classes";
import { utf8Decode, utf8Width, utf8Bad } from "./utf8";

// ---------------------------------------------------------------------------------------------------------------
// Syntax tree. Nodes are 24 bytes in the arena: kind, a, b, c, next (sibling link), size (program size).
const N_EMPTY: i32 = 0;
const N_CHAR: i32 = 1; // a = code point
const N_CLASS: i32 = 2; // a = ranges address, b = range count
const N_ANY: i32 = 3; // any code point, (?s) .
const N_ANYNL: i32 = 4; // any code point but \n, .
const N_ASSERT: i32 = 5; // a = assertion kind
const N_CONCAT: i32 = 6; // a = first child
const N_ALT: i32 = 7; // a = first child
const N_REPEAT: i32 = 8; // a = child, b = min, c = max (-1 unbounded); size = 1 while parsing when written {n,m}
const N_CAPTURE: i32 = 9; // a = child; transparent for matching, kept so tree height is measured as Go does

const A_BOT: i32 = 1; // ^ and \A: beginning of text
const A_EOT: i32 = 2; // $ and \z: end of text (Go's $ does not match before a final \n)
const A_BOL: i32 = 3; // (?m)^
const A_EOL: i32 = 4; // (?m)$
const A_WORDB: i32 = 5; // \b, ASCII word characters
const A_NWORDB: i32 = 6; // \B

const F_FOLD: i32 = 1; // (?i)
const F_MULTI: i32 = 2; // (?m)
const F_DOTNL: i32 = 4; // (?s)
const F_UNGREEDY: i32 = 8; // (?U): accepted, irrelevant for a boolean match

/** Go's limits: repeat counts, and tree height (ErrNestingDepth; see treeHeight). */
const MAX_REPEAT: i32 = 1000;
const MAX_HEIGHT: i32 = 1000;
/** Parenthesis nesting this engine accepts, to bound its recursion (the wasm stack). Beyond it, capturing groups
 * alone already exceed Go's height limit (invalid); non-capturing ones, which Go does not count, are reported as
 * unsupported. */
const MAX_DEPTH: i32 = 1000;

@inline function nKind(n: usize): i32 { return load<i32>(n); }
@inline function nA(n: usize): i32 { return load<i32>(n, 4); }
@inline function nB(n: usize): i32 { return load<i32>(n, 8); }
@inline function nC(n: usize): i32 { return load<i32>(n, 12); }
@inline function nNext(n: usize): usize { return <usize>load<u32>(n, 16); }
@inline function nSize(n: usize): i32 { return load<i32>(n, 20); }
@inline function setNext(n: usize, m: usize): void { store<u32>(n, <u32>m, 16); }
@inline function setSize(n: usize, s: i32): void { store<i32>(n, s, 20); }

function newNode(kind: i32, a: i32, b: i32, c: i32): usize {
  const n = arenaAlloc(24);
  if (n == 0) return 0;
  store<i32>(n, kind);
  store<i32>(n, a, 4);
  store<i32>(n, b, 8);
  store<i32>(n, c, 12);
  store<u32>(n, 0, 16);
  store<i32>(n, 0, 20);
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Parser: recursive descent over the pattern's bytes, decoding UTF-8 where a code point is expected. State is
// global (AssemblyScript has no closures and the engine is not re-entrant).
let pos: usize = 0;
let end: usize = 0;
let flags: i32 = 0;
let depth: i32 = 0;
let captureDepth: i32 = 0;
/** Linked list of capture names seen, (address, length, next) triples, to reject duplicates as Go does. */
let names: usize = 0;
/** Set when the pattern uses valid syntax the engine cannot evaluate (\p{Greek} ...); parsing continues. */
let unsupported: bool = false;

@inline function peekByte(): i32 {
  return pos < end ? <i32>load<u8>(pos) : -1;
}
@inline function byteAt(p: usize): i32 {
  return p < end ? <i32>load<u8>(p) : -1;
}
@inline function isDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}
function isAlnum(c: i32): bool {
  return isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
function unhex(c: i32): i32 {
  if (isDigit(c)) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function invalid(): usize {
  fail(ERR_INVALID);
  return 0;
}

function parsePattern(p: usize, len: i32): usize {
  pos = p;
  end = p + <usize>len;
  flags = 0;
  depth = 0;
  captureDepth = 0;
  names = 0;
  unsupported = false;
  // Go rejects a pattern that is not valid UTF-8 before looking at its syntax.
  for (let q = p; q < end; ) {
    utf8Decode(q, end);
    if (utf8Bad) return invalid();
    q += <usize>utf8Width;
  }
  const n = parseAlt();
  if (reErr != ERR_NONE) return 0;
  if (pos < end) return invalid(); // an unmatched ')'
  if (treeHeight(n) > MAX_HEIGHT) return invalid();
  return n;
}

/** alternation := concat ('|' concat)* */
function parseAlt(): usize {
  const first = parseConcat();
  if (reErr != ERR_NONE) return 0;
  if (peekByte() != 0x7c) return first;
  const alt = newNode(N_ALT, <i32>first, 0, 0);
  if (alt == 0) return 0;
  let last = first;
  while (peekByte() == 0x7c) {
    pos++;
    const n = parseConcat();
    if (reErr != ERR_NONE) return 0;
    setNext(last, n);
    last = n;
  }
  return alt;
}

// Results of parseBraces.
let braceMin: i32 = 0;
let braceMax: i32 = 0;

/** Go's parseInt: digits without a leading zero; values ≥ 1e8 become -1 (too big). Returns -2 when absent. */
function parseCount(): i32 {
  const c = peekByte();
  if (!isDigit(c)) return -2;
  if (c == 0x30 && isDigit(byteAt(pos + 1))) return -2;
  let n = 0;
  while (isDigit(peekByte())) {
    if (n >= 0) {
      if (n >= 100000000) n = -1;
      else n = n * 10 + peekByte() - 0x30;
    }
    pos++;
  }
  return n;
}

/** {n}, {n,} or {n,m} at pos; on success advances past it. Anything else leaves '{' to be a literal.
 * A count too big to parse comes back as braceMin = -1, which the caller reports as a bad repeat size. */
function parseBraces(): bool {
  const start = pos;
  pos++;
  let lo = parseCount();
  if (lo == -2) {
    pos = start;
    return false;
  }
  let hi = lo;
  if (peekByte() == 0x2c) {
    pos++;
    if (peekByte() == 0x7d) hi = -1;
    else {
      hi = parseCount();
      if (hi == -2) {
        pos = start;
        return false;
      }
      if (hi == -1) lo = -1;
    }
  }
  if (peekByte() != 0x7d) {
    pos = start;
    return false;
  }
  pos++;
  braceMin = lo;
  braceMax = hi;
  return true;
}

/** Go's repeatIsValid: the product of nested {n,m} counts may not exceed 1000 (x* x+ x? do not count). */
function repeatIsValid(n: usize, lim: i32): bool {
  const k = nKind(n);
  if (k == N_REPEAT) {
    if (nSize(n) == 1) {
      let m = nC(n);
      if (m == 0) return true;
      if (m < 0) m = nB(n);
      if (m > lim) return false;
      if (m > 0) lim = lim / m;
    }
    return repeatIsValid(<usize>nA(n), lim);
  }
  if (k == N_CAPTURE) return repeatIsValid(<usize>nA(n), lim);
  if (k == N_CONCAT || k == N_ALT) {
    for (let c = <usize>nA(n); c != 0; c = nNext(c)) {
      if (!repeatIsValid(c, lim)) return false;
    }
  }
  return true;
}

/**
 * Height of the tree as Go's parser would build it (its checkHeight): one level per node, where a concatenation of
 * plain characters is a single literal node and an alternation of single characters a single class, as Go merges
 * them. (?:...) adds no node, as in Go.
 */
function treeHeight(n: usize): i32 {
  const k = nKind(n);
  if (k == N_REPEAT || k == N_CAPTURE) return 1 + treeHeight(<usize>nA(n));
  if (k != N_CONCAT && k != N_ALT) return 1;
  let h = 0;
  let flat = true;
  for (let c = <usize>nA(n); c != 0; c = nNext(c)) {
    const ck = nKind(c);
    if (!(ck == N_CHAR || (k == N_ALT && ck == N_CLASS))) flat = false;
    const ch = treeHeight(c);
    if (ch > h) h = ch;
  }
  return flat ? 1 : 1 + h;
}

/** concat := (atom repeat?)* up to '|', ')' or the end. */
function parseConcat(): usize {
  let head: usize = 0;
  let prev: usize = 0;
  let last: usize = 0;
  let count = 0;
  let lastRepeat = false;
  while (pos < end && reErr == ERR_NONE) {
    const c = <i32>load<u8>(pos);
    if (c == 0x7c || c == 0x29) break; // | )
    let min = 0;
    let max = 0;
    let isRepeat = false;
    let braces = false;
    if (c == 0x2a) { // *
      min = 0; max = -1; isRepeat = true; pos++;
    } else if (c == 0x2b) { // +
      min = 1; max = -1; isRepeat = true; pos++;
    } else if (c == 0x3f) { // ?
      min = 0; max = 1; isRepeat = true; pos++;
    } else if (c == 0x7b && parseBraces()) {
      min = braceMin; max = braceMax; isRepeat = true; braces = true;
      if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) return invalid();
    }
    if (isRepeat) {
      if (peekByte() == 0x3f) pos++; // lazy variant: same language
      // Go (Perl mode) rejects stacked operators like a** or a{2}{3}, and a repeat with nothing before it.
      if (lastRepeat || last == 0) return invalid();
      const r = newNode(N_REPEAT, <i32>last, min, max);
      if (r == 0) return 0;
      if (braces) setSize(r, 1);
      if (prev == 0) head = r;
      else setNext(prev, r);
      last = r;
      if (braces && (min >= 2 || max >= 2) && !repeatIsValid(r, MAX_REPEAT)) return invalid();
      lastRepeat = true;
      continue;
    }
    lastRepeat = false;
    if (c == 0x5c && byteAt(pos + 1) == 0x51) {
      // \Q...\E: literal text; each character is its own item, so a following repeat takes only the last one.
      pos += 2;
      while (pos < end) {
        if (load<u8>(pos) == 0x5c && byteAt(pos + 1) == 0x45) {
          pos += 2;
          break;
        }
        const cp = utf8Decode(pos, end);
        pos += <usize>utf8Width;
        const lit = literal(cp);
        if (lit == 0) return 0;
        if (last == 0) head = lit;
        else setNext(last, lit);
        prev = last;
        last = lit;
        count++;
      }
      continue;
    }
    const item = parseAtom();
    if (reErr != ERR_NONE) return 0;
    if (item == 0) continue; // a flag group such as (?i) adds no item
    if (last == 0) head = item;
    else setNext(last, item);
    prev = last;
    last = item;
    count++;
  }
  if (reErr != ERR_NONE) return 0;
  if (count == 0) return newNode(N_EMPTY, 0, 0, 0);
  if (count == 1) return head;
  return newNode(N_CONCAT, <i32>head, 0, 0);
}

/** A literal code point; under (?i) the class of its case variants. */
function literal(cp: i32): usize {
  if ((flags & F_FOLD) == 0) return newNode(N_CHAR, cp, 0, 0);
  clsBegin();
  clsAddRange(cp, cp, true);
  const n = clsFinish(false);
  return classNode(n);
}

/** Node for the class just finished; a single code point becomes a plain character. */
function classNode(n: i32): usize {
  if (reErr != ERR_NONE) return 0;
  const base = clsBaseGet();
  if (n == 1 && load<i32>(base) == load<i32>(base, 4)) return newNode(N_CHAR, load<i32>(base), 0, 0);
  return newNode(N_CLASS, <i32>base, n, 0);
}

function parseAtom(): usize {
  const c = <i32>load<u8>(pos);
  if (c == 0x28) return parseGroup(); // (
  if (c == 0x5b) { // [
    pos++;
    return parseClass();
  }
  if (c == 0x2e) { // .
    pos++;
    return newNode((flags & F_DOTNL) != 0 ? N_ANY : N_ANYNL, 0, 0, 0);
  }
  if (c == 0x5e) { // ^
    pos++;
    return newNode(N_ASSERT, (flags & F_MULTI) != 0 ? A_BOL : A_BOT, 0, 0);
  }
  if (c == 0x24) { // $
    pos++;
    return newNode(N_ASSERT, (flags & F_MULTI) != 0 ? A_EOL : A_EOT, 0, 0);
  }
  if (c == 0x5c) return parseBackslash();
  const cp = utf8Decode(pos, end);
  pos += <usize>utf8Width;
  return literal(cp);
}

/** Escapes outside classes: assertions, Perl and Unicode classes, then single-character escapes. */
function parseBackslash(): usize {
  const c = byteAt(pos + 1);
  if (c < 0) return invalid(); // trailing backslash
  let assert = 0;
  if (c == 0x41) assert = A_BOT; // \A
  else if (c == 0x7a) assert = A_EOT; // \z
  else if (c == 0x62) assert = A_WORDB; // \b
  else if (c == 0x42) assert = A_NWORDB; // \B
  if (assert != 0) {
    pos += 2;
    return newNode(N_ASSERT, assert, 0, 0);
  }
  if (c == 0x43) return invalid(); // \C (any byte) is not supported by Go either
  const fold = (flags & F_FOLD) != 0;
  const g = perlGroup(c);
  if (g >= 0) {
    pos += 2;
    clsBegin();
    clsAddGroup(g, c < 0x60, fold);
    return classNode(clsFinish(false));
  }
  if (c == 0x70 || c == 0x50) { // \p \P
    pos++;
    clsBegin();
    parseUnicodeClass(fold);
    if (reErr != ERR_NONE) return 0;
    return classNode(clsFinish(false));
  }
  pos++;
  const cp = parseEscape();
  if (reErr != ERR_NONE) return 0;
  return literal(cp);
}

/** Group id of \d \s \w (and their upper-case negations), else -1. */
function perlGroup(c: i32): i32 {
  const l = c | 0x20;
  if (l == 0x64) return G_DIGIT;
  if (l == 0x73) return G_SPACE;
  if (l == 0x77) return G_WORD;
  return -1;
}

/**
 * \pX, \p{Name}, \PX, \p{^Name} with pos at 'p'/'P'. Only \p{Any} is implemented; other well-formed names are
 * recorded as unsupported (Go knows the Unicode tables; this engine does not carry them).
 */
function parseUnicodeClass(fold: bool): void {
  let neg = load<u8>(pos) == 0x50;
  pos++;
  if (pos >= end) {
    invalid();
    return;
  }
  let name = pos;
  let nameLen = 0;
  if (load<u8>(pos) == 0x7b) {
    let q = pos + 1;
    while (q < end && load<u8>(q) != 0x7d) q++;
    if (q >= end) {
      invalid();
      return;
    }
    name = pos + 1;
    nameLen = <i32>(q - name);
    pos = q + 1;
  } else {
    utf8Decode(pos, end);
    nameLen = utf8Width;
    pos += <usize>utf8Width;
  }
  if (nameLen > 0 && load<u8>(name) == 0x5e) {
    neg = !neg;
    name++;
    nameLen--;
  }
  if (nameIs(name, nameLen, "Any")) {
    clsAddGroup(G_ANY, neg, fold);
    return;
  }
  if (nameLen == 0) {
    invalid();
    return;
  }
  for (let i = 0; i < nameLen; i++) {
    const b = <i32>load<u8>(name + <usize>i);
    if (!(isAlnum(b) || b == 0x5f)) {
      invalid();
      return;
    }
  }
  unsupported = true;
}

/** Go's parseEscape, with pos just after the backslash: returns the code point. */
function parseEscape(): i32 {
  if (pos >= end) {
    invalid();
    return 0;
  }
  const c = utf8Decode(pos, end);
  pos += <usize>utf8Width;
  // \1..\7 alone would be a backreference (not RE2); followed by an octal digit they start an octal escape.
  if (c >= 0x31 && c <= 0x37) {
    const d = peekByte();
    if (d < 0x30 || d > 0x37) {
      invalid();
      return 0;
    }
  }
  if (c >= 0x30 && c <= 0x37) {
    let r = c - 0x30;
    for (let i = 1; i < 3; i++) {
      const d = peekByte();
      if (d < 0x30 || d > 0x37) break;
      r = r * 8 + d - 0x30;
      pos++;
    }
    return r;
  }
  if (c == 0x78) { // \x
    if (pos >= end) {
      invalid();
      return 0;
    }
    if (load<u8>(pos) == 0x7b) {
      pos++;
      let r = 0;
      let nhex = 0;
      while (true) {
        if (pos >= end) {
          invalid();
          return 0;
        }
        const d = utf8Decode(pos, end);
        pos += <usize>utf8Width;
        if (d == 0x7d) break;
        const v = unhex(d);
        if (v < 0) {
          invalid();
          return 0;
        }
        r = r * 16 + v;
        if (r > MAX_RUNE) {
          invalid();
          return 0;
        }
        nhex++;
      }
      if (nhex == 0) {
        invalid();
        return 0;
      }
      return r;
    }
    const x = unhex(peekByte());
    const y = unhex(byteAt(pos + 1));
    if (x < 0 || y < 0) {
      invalid();
      return 0;
    }
    pos += 2;
    return x * 16 + y;
  }
  if (c == 0x61) return 7; // \a
  if (c == 0x66) return 12; // \f
  if (c == 0x6e) return 10; // \n
  if (c == 0x72) return 13; // \r
  if (c == 0x74) return 9; // \t
  if (c == 0x76) return 11; // \v
  // Any ASCII punctuation may be escaped; letters, digits and non-ASCII may not.
  if (c < 0x80 && !isAlnum(c)) return c;
  invalid();
  return 0;
}

/** A character inside [...] (pos at it): an escape or a code point. */
function parseClassChar(): i32 {
  if (pos >= end) {
    invalid(); // missing ]
    return 0;
  }
  if (load<u8>(pos) == 0x5c) {
    pos++;
    return parseEscape();
  }
  const cp = utf8Decode(pos, end);
  pos += <usize>utf8Width;
  return cp;
}

/** [...] with pos just after '['. */
function parseClass(): usize {
  let neg = false;
  if (peekByte() == 0x5e) {
    neg = true;
    pos++;
  }
  const fold = (flags & F_FOLD) != 0;
  clsBegin();
  let first = true; // ']' first is a literal
  while (true) {
    if (pos >= end) return invalid(); // missing ]
    const c = <i32>load<u8>(pos);
    if (c == 0x5d && !first) {
      pos++;
      break;
    }
    first = false;
    if (c == 0x5b && byteAt(pos + 1) == 0x3a) {
      // [:name:] — like Go, look for ":]" anywhere further on; without one, '[' is an ordinary character.
      let q = pos + 2;
      while (q + 1 < end && !(load<u8>(q) == 0x3a && load<u8>(q + 1) == 0x5d)) q++;
      if (q + 1 < end) {
        let name = pos + 2;
        let nameLen = <i32>(q - name);
        let gneg = false;
        if (nameLen > 0 && load<u8>(name) == 0x5e) {
          gneg = true;
          name++;
          nameLen--;
        }
        const id = posixGroup(name, nameLen);
        if (id < 0) return invalid();
        clsAddGroup(id, gneg, fold);
        pos = q + 2;
        continue;
      }
    }
    if (c == 0x5c) {
      const e = byteAt(pos + 1);
      const g = perlGroup(e);
      if (g >= 0) {
        clsAddGroup(g, e < 0x60, fold);
        pos += 2;
        continue;
      }
      if (e == 0x70 || e == 0x50) {
        pos++;
        parseUnicodeClass(fold);
        if (reErr != ERR_NONE) return 0;
        continue;
      }
    }
    const lo = parseClassChar();
    if (reErr != ERR_NONE) return 0;
    let hi = lo;
    // a-z is a range, but a '-' before the closing ']' is literal ([a-]).
    if (peekByte() == 0x2d && pos + 1 < end && byteAt(pos + 1) != 0x5d) {
      pos++;
      hi = parseClassChar();
      if (reErr != ERR_NONE) return 0;
      if (hi < lo) return invalid();
    }
    clsAddRange(lo, hi, fold);
    if (reErr != ERR_NONE) return 0;
  }
  return classNode(clsFinish(neg));
}

/** ( ... ), (?: ... ), (?P<name> ... ), (?<name> ... ), (?flags) and (?flags: ... ), with pos at '('. */
function parseGroup(): usize {
  if (byteAt(pos + 1) != 0x3f) {
    pos++;
    return groupBody(flags, true);
  }
  let nameStart: usize = 0;
  if (byteAt(pos + 2) == 0x50 && byteAt(pos + 3) == 0x3c) nameStart = pos + 4;
  else if (byteAt(pos + 2) == 0x3c) nameStart = pos + 3;
  if (nameStart != 0) {
    let q = nameStart;
    while (q < end && load<u8>(q) != 0x3e) q++;
    if (q >= end) return invalid();
    const len = <i32>(q - nameStart);
    if (len == 0) return invalid();
    for (let i = 0; i < len; i++) {
      const b = <i32>load<u8>(nameStart + <usize>i);
      if (!(isAlnum(b) || b == 0x5f)) return invalid();
    }
    for (let e = names; e != 0; e = <usize>load<u32>(e, 8)) {
      const other = <usize>load<u32>(e);
      const olen = load<i32>(e, 4);
      if (olen == len && memory.compare(other, nameStart, <usize>len) == 0) return invalid(); // duplicate name
    }
    const e = arenaAlloc(12);
    if (e == 0) return 0;
    store<u32>(e, <u32>nameStart);
    store<i32>(e, len, 4);
    store<u32>(e, <u32>names, 8);
    names = e;
    pos = q + 1;
    return groupBody(flags, true);
  }
  // Flags, following Go's parsePerlFlags: letters i m s U, at most one '-', which must be followed by a flag.
  pos += 2;
  let nf = flags;
  let negate = false;
  let sawFlag = false;
  while (pos < end) {
    const c = <i32>load<u8>(pos);
    pos++;
    let bit = 0;
    if (c == 0x69) bit = F_FOLD;
    else if (c == 0x6d) bit = F_MULTI;
    else if (c == 0x73) bit = F_DOTNL;
    else if (c == 0x55) bit = F_UNGREEDY;
    if (bit != 0) {
      nf = negate ? nf & ~bit : nf | bit;
      sawFlag = true;
      continue;
    }
    if (c == 0x2d) { // -
      if (negate) return invalid();
      negate = true;
      sawFlag = false;
      continue;
    }
    if (c == 0x3a || c == 0x29) { // : )
      if (negate && !sawFlag) return invalid();
      if (c == 0x29) {
        flags = nf; // (?i) changes the flags for the rest of the enclosing group
        return 0;
      }
      return groupBody(nf, false);
    }
    return invalid(); // lookaround (?= (?! (?<= ...), (?P=name), unknown flags
  }
  return invalid();
}

/** The inside of a group and its ')', parsed with `groupFlags`; the enclosing flags come back afterwards. */
function groupBody(groupFlags: i32, capture: bool): usize {
  depth++;
  if (capture) captureDepth++;
  if (captureDepth >= MAX_HEIGHT) return invalid();
  if (depth > MAX_DEPTH) {
    fail(ERR_UNSUPPORTED);
    return 0;
  }
  const saved = flags;
  flags = groupFlags;
  const n = parseAlt();
  if (reErr != ERR_NONE) return 0;
  if (peekByte() != 0x29) return invalid(); // missing )
  pos++;
  flags = saved;
  depth--;
  if (capture) {
    captureDepth--;
    return newNode(N_CAPTURE, <i32>n, 0, 0);
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Compiler. Instructions are 12 bytes: op, x, y.
const I_CHAR: i32 = 1; // x = code point
const I_CLASS: i32 = 2; // x = ranges address, y = count
const I_ANY: i32 = 3;
const I_ANYNL: i32 = 4;
const I_ASSERT: i32 = 5; // x = assertion kind
const I_SPLIT: i32 = 6; // continue at x and at y
const I_JMP: i32 = 7; // continue at x
const I_MATCH: i32 = 8;

/** Programs bigger than this many instructions are refused as too large (Go's own limit is ~3.3M). */
const MAX_PROG: i64 = 1 << 24;

let prog: usize = 0;

/** Program size of each node (stored in the node); saturates at MAX_PROG. */
function sizeOf(n: usize): i64 {
  const k = nKind(n);
  let s: i64 = 0;
  if (k == N_EMPTY) s = 0;
  else if (k == N_CONCAT || k == N_ALT) {
    let count: i64 = 0;
    for (let c = <usize>nA(n); c != 0; c = nNext(c)) {
      s += sizeOf(c);
      count++;
    }
    if (k == N_ALT) s += 2 * (count - 1); // a split and a jump per alternative but the last
  } else if (k == N_CAPTURE) {
    s = sizeOf(<usize>nA(n));
  } else if (k == N_REPEAT) {
    const cs = sizeOf(<usize>nA(n));
    const min = <i64>nB(n);
    const max = <i64>nC(n);
    if (max < 0) s = min == 0 ? cs + 2 : min * cs + 1;
    else s = min * cs + (max - min) * (cs + 1);
  } else s = 1;
  if (s > MAX_PROG) s = MAX_PROG;
  setSize(n, <i32>s);
  return s;
}

@inline function put(pc: i32, op: i32, x: i32, y: i32): void {
  const p = prog + <usize>pc * 12;
  store<i32>(p, op);
  store<i32>(p, x, 4);
  store<i32>(p, y, 8);
}

/** Emits node n at pc; returns the pc after it. Sizes come from sizeOf, so forward targets are known. */
function emit(n: usize, pc: i32): i32 {
  const k = nKind(n);
  if (k == N_EMPTY) return pc;
  if (k == N_CHAR) {
    put(pc, I_CHAR, nA(n), 0);
    return pc + 1;
  }
  if (k == N_CLASS) {
    put(pc, I_CLASS, nA(n), nB(n));
    return pc + 1;
  }
  if (k == N_ANY || k == N_ANYNL) {
    put(pc, k == N_ANY ? I_ANY : I_ANYNL, 0, 0);
    return pc + 1;
  }
  if (k == N_ASSERT) {
    put(pc, I_ASSERT, nA(n), 0);
    return pc + 1;
  }
  if (k == N_CONCAT) {
    for (let c = <usize>nA(n); c != 0; c = nNext(c)) pc = emit(c, pc);
    return pc;
  }
  if (k == N_ALT) {
    const done = pc + nSize(n);
    for (let c = <usize>nA(n); c != 0; c = nNext(c)) {
      if (nNext(c) == 0) return emit(c, pc);
      put(pc, I_SPLIT, pc + 1, pc + 1 + nSize(c) + 1);
      pc = emit(c, pc + 1);
      put(pc, I_JMP, done, 0);
      pc++;
    }
    return pc;
  }
  if (k == N_CAPTURE) return emit(<usize>nA(n), pc);
  // N_REPEAT
  const child = <usize>nA(n);
  const cs = nSize(child);
  const min = nB(n);
  const max = nC(n);
  if (max < 0) {
    if (min == 0) { // x*: L: split body, out; body; jmp L
      const l = pc;
      put(l, I_SPLIT, l + 1, l + cs + 2);
      emit(child, l + 1);
      put(l + 1 + cs, I_JMP, l, 0);
      return l + cs + 2;
    }
    for (let i = 1; i < min; i++) pc = emit(child, pc); // x{n,} = x^(n-1) x+
    const l = pc;
    pc = emit(child, pc);
    put(pc, I_SPLIT, l, pc + 1);
    return pc + 1;
  }
  for (let i = 0; i < min; i++) pc = emit(child, pc);
  // x{n,m}: then m-n optional copies, each able to skip to the end.
  const done = pc + (max - min) * (cs + 1);
  for (let i = min; i < max; i++) {
    put(pc, I_SPLIT, pc + 1, done);
    pc = emit(child, pc + 1);
  }
  return pc;
}

/** Whether every match must start at the beginning of the text (so the scan can stop early). */
function anchoredAtStart(n: usize): bool {
  const k = nKind(n);
  if (k == N_ASSERT) return nA(n) == A_BOT;
  if (k == N_CONCAT) {
    // The first child that is not empty decides.
    for (let c = <usize>nA(n); c != 0; c = nNext(c)) {
      if (nKind(c) == N_EMPTY) continue;
      return anchoredAtStart(c);
    }
    return false;
  }
  if (k == N_ALT) {
    for (let c = <usize>nA(n); c != 0; c = nNext(c)) {
      if (!anchoredAtStart(c)) return false;
    }
    return true;
  }
  if (k == N_REPEAT) return nB(n) >= 1 && anchoredAtStart(<usize>nA(n));
  if (k == N_CAPTURE) return anchoredAtStart(<usize>nA(n));
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Pike VM. Each thread list is a sparse set over program counters: dense[count] holds members in insertion
// order, sparse[pc] their index; membership is checked both ways, so neither array needs clearing.
let nInst: i32 = 0;
let stack: usize = 0;
let addCount: i32 = 0;

@inline function isWordChar(c: i32): bool {
  return isAlnum(c) || c == 0x5f;
}

/** Zero-width assertion at a position between code points prev and next (-1 at the text's ends). */
function assertHolds(kind: i32, prev: i32, next: i32): bool {
  if (kind == A_BOT) return prev < 0;
  if (kind == A_EOT) return next < 0;
  if (kind == A_BOL) return prev < 0 || prev == 10;
  if (kind == A_EOL) return next < 0 || next == 10;
  const b = isWordChar(prev) != isWordChar(next);
  return kind == A_WORDB ? b : !b;
}

/**
 * Adds pc and everything reachable from it without consuming input to list (dense at list, sparse after it),
 * evaluating assertions between prev and next. Returns true when MATCH is reachable: a match ends here.
 */
function addThread(list: usize, pc0: i32, prev: i32, next: i32): bool {
  const sparse = list + (<usize>nInst << 2);
  store<i32>(stack, pc0);
  let sp = 1;
  while (sp > 0) {
    sp--;
    const pc = load<i32>(stack + (<usize>sp << 2));
    const si = load<u32>(sparse + (<usize>pc << 2));
    if (si < <u32>addCount && load<i32>(list + (<usize>si << 2)) == pc) continue;
    store<i32>(list + (<usize>addCount << 2), pc);
    store<u32>(sparse + (<usize>pc << 2), <u32>addCount);
    addCount++;
    const ip = prog + <usize>pc * 12;
    const op = load<i32>(ip);
    if (op == I_JMP) {
      store<i32>(stack + (<usize>sp << 2), load<i32>(ip, 4));
      sp++;
    } else if (op == I_SPLIT) {
      store<i32>(stack + (<usize>sp << 2), load<i32>(ip, 8));
      store<i32>(stack + (<usize>sp << 2) + 4, load<i32>(ip, 4));
      sp += 2;
    } else if (op == I_ASSERT) {
      if (assertHolds(load<i32>(ip, 4), prev, next)) {
        store<i32>(stack + (<usize>sp << 2), pc + 1);
        sp++;
      }
    } else if (op == I_MATCH) {
      return true;
    }
  }
  return false;
}

/** Marks in map the UTF-8 lead bytes of code points lo..hi; false when U+FFFD is included (any malformed byte
 * reads as U+FFFD, so every byte could then begin a match). */
function markLeadBytes(map: usize, lo: i32, hi: i32): bool {
  if (lo <= 0xfffd && hi >= 0xfffd) return false;
  if (lo <= 0x7f) {
    const b = hi < 0x7f ? hi : 0x7f;
    memory.fill(map + <usize>lo, 1, <usize>(b - lo + 1));
  }
  if (lo <= 0x7ff && hi >= 0x80) {
    const a = (lo > 0x80 ? lo : 0x80) >> 6;
    const b = (hi < 0x7ff ? hi : 0x7ff) >> 6;
    memory.fill(map + <usize>(0xc0 | a), 1, <usize>(b - a + 1));
  }
  if (lo <= 0xffff && hi >= 0x800) {
    const a = (lo > 0x800 ? lo : 0x800) >> 12;
    const b = (hi < 0xffff ? hi : 0xffff) >> 12;
    memory.fill(map + <usize>(0xe0 | a), 1, <usize>(b - a + 1));
  }
  if (hi >= 0x10000) {
    const a = (lo > 0x10000 ? lo : 0x10000) >> 18;
    const b = (hi < MAX_RUNE ? hi : MAX_RUNE) >> 18;
    memory.fill(map + <usize>(0xf0 | a), 1, <usize>(b - a + 1));
  }
  return true;
}

/** Whether the start closure contains assertions (then it must be recomputed where the scan skips to). */
let filterAsserts: bool = false;

/**
 * A 256-entry table of the bytes that can begin a match, used to skip ahead while no attempt is in progress
 * (memchr-style); 0 when every position must be tried: the start can match empty or accepts any character.
 * Assertions are passed through (the table is then a superset, which is all skipping needs). Walks the start
 * closure with `list` as the visited set.
 */
function firstByteFilter(list: usize): usize {
  filterAsserts = false;
  const map = arenaAlloc(256);
  if (map == 0) return 0;
  memory.fill(map, 0, 256);
  const sparse = list + (<usize>nInst << 2);
  addCount = 0;
  store<i32>(stack, 0);
  let sp = 1;
  while (sp > 0) {
    sp--;
    const pc = load<i32>(stack + (<usize>sp << 2));
    const si = load<u32>(sparse + (<usize>pc << 2));
    if (si < <u32>addCount && load<i32>(list + (<usize>si << 2)) == pc) continue;
    store<i32>(list + (<usize>addCount << 2), pc);
    store<u32>(sparse + (<usize>pc << 2), <u32>addCount);
    addCount++;
    const ip = prog + <usize>pc * 12;
    const op = load<i32>(ip);
    if (op == I_JMP) {
      store<i32>(stack + (<usize>sp << 2), load<i32>(ip, 4));
      sp++;
    } else if (op == I_SPLIT) {
      store<i32>(stack + (<usize>sp << 2), load<i32>(ip, 8));
      store<i32>(stack + (<usize>sp << 2) + 4, load<i32>(ip, 4));
      sp += 2;
    } else if (op == I_ASSERT) {
      filterAsserts = true;
      store<i32>(stack + (<usize>sp << 2), pc + 1);
      sp++;
    } else if (op == I_CHAR) {
      const c = load<i32>(ip, 4);
      if (!markLeadBytes(map, c, c)) return 0;
    } else if (op == I_CLASS) {
      const r = <usize>load<i32>(ip, 4);
      const n = load<i32>(ip, 8);
      for (let i = 0; i < n; i++) {
        if (!markLeadBytes(map, load<i32>(r + (<usize>i << 3)), load<i32>(r + (<usize>i << 3), 4))) return 0;
      }
    } else {
      return 0; // MATCH, ANY, ANYNL
    }
  }
  return map;
}

function run(text: usize, textLen: i32, anchored: bool): i32 {
  const listBytes = <usize>nInst << 3;
  let clist = arenaAlloc(listBytes);
  let nlist = arenaAlloc(listBytes);
  // Every pc enters a list once per step, and only split/jump/assert push (split pushes two): 2n + 1 suffices.
  stack = arenaAlloc((<usize>nInst * 2 + 2) << 2);
  if (reErr != ERR_NONE) return -1;
  const filter: usize = anchored ? <usize>0 : firstByteFilter(clist);
  if (reErr != ERR_NONE) return -1;
  const tend = text + <usize>textLen;
  let p = text;
  let prev = -1;
  let cur = -1;
  let w = 0;
  if (p < tend) {
    cur = utf8Decode(p, tend);
    w = utf8Width;
  }
  addCount = 0;
  if (addThread(clist, 0, prev, cur)) return 1;
  let ccount = addCount;
  // True while the only live threads are a fresh attempt starting at p: then nothing is lost by skipping ahead.
  let onlyStart = true;
  while (p < tend) {
    if (onlyStart && filter != 0) {
      let q = p;
      while (q < tend && load<u8>(filter + <usize>load<u8>(q)) == 0) q++;
      if (q >= tend) return 0;
      if (q != p) {
        // q holds a lead byte, which always starts a code point in the decoding (continuation bytes never do).
        p = q;
        cur = utf8Decode(p, tend);
        w = utf8Width;
        if (filterAsserts) {
          // Redo the start closure here. Assertions only ask whether the previous code point is \n or an ASCII
          // word character, and an ASCII byte is always a code point of its own, so the byte before q tells.
          const b = <i32>load<u8>(p - 1);
          addCount = 0;
          if (addThread(clist, 0, b < 0x80 ? b : 0xfffd, cur)) return 1;
          ccount = addCount;
        }
      }
    }
    const np = p + <usize>w;
    let next = -1;
    let nw = 0;
    if (np < tend) {
      next = utf8Decode(np, tend);
      nw = utf8Width;
    }
    addCount = 0;
    for (let i = 0; i < ccount; i++) {
      const pc = load<i32>(clist + (<usize>i << 2));
      const ip = prog + <usize>pc * 12;
      const op = load<i32>(ip);
      let ok = false;
      if (op == I_CHAR) ok = load<i32>(ip, 4) == cur;
      else if (op == I_CLASS) ok = inRanges(<usize>load<i32>(ip, 4), load<i32>(ip, 8), cur);
      else if (op == I_ANY) ok = true;
      else if (op == I_ANYNL) ok = cur != 10;
      if (ok && addThread(nlist, pc + 1, cur, next)) return 1;
    }
    onlyStart = addCount == 0;
    // Unanchored search: a new attempt may start at every position.
    if (!anchored && addThread(nlist, 0, cur, next)) return 1;
    const t = clist;
    clist = nlist;
    nlist = t;
    ccount = addCount;
    if (anchored && ccount == 0) return 0;
    p = np;
    prev = cur;
    cur = next;
    w = nw;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Entry points over an explicit scratch region.

/** Match result codes. */
export const RE_MATCH: i32 = 1;
export const RE_NO_MATCH: i32 = 0;
export const RE_INVALID: i32 = -1;
export const RE_UNSUPPORTED: i32 = -2;
export const RE_TOO_LARGE: i32 = -3;

function errCode(): i32 {
  if (reErr == ERR_INVALID) return RE_INVALID;
  if (reErr == ERR_LARGE) return RE_TOO_LARGE;
  return RE_UNSUPPORTED;
}

/** After reMatchIn returned RE_TOO_LARGE: the scratch size that will suffice, or 0 when unknown (the pattern's
 * tree itself did not fit; try a bigger region). */
export let reScratchNeeded: usize = 0;

/**
 * Searches the UTF-8 text for the RE2 pattern using [scratch, scratch + scratchLen) as working memory.
 * Returns 1 match, 0 no match, -1 invalid pattern, -2 valid but unsupported (\p classes), -3 scratch too small.
 */
export function reMatchIn(pat: usize, patLen: i32, text: usize, textLen: i32, scratch: usize, scratchLen: usize): i32 {
  arenaReset(scratch, scratchLen);
  reScratchNeeded = 0;
  const root = parsePattern(pat, patLen);
  if (reErr != ERR_NONE) return errCode();
  if (unsupported) return RE_UNSUPPORTED;
  const size = sizeOf(root) + 1;
  if (size >= MAX_PROG) return RE_TOO_LARGE;
  nInst = <i32>size;
  // What the rest of the call takes: program (12 bytes per instruction), two thread lists (8 each), the stack (8),
  // the first-byte table, and alignment slack. Known now, so a caller that retries can size the region at once.
  const need = <usize>nInst * 36 + 256 + 64;
  if (need > arenaEndGet() - arenaTopGet()) {
    reScratchNeeded = arenaTopGet() - scratch + need;
    return RE_TOO_LARGE;
  }
  prog = arenaAlloc(<usize>nInst * 12);
  if (reErr != ERR_NONE) return errCode();
  const last = emit(root, 0);
  put(last, I_MATCH, 0, 0);
  const r = run(text, textLen, anchoredAtStart(root));
  if (reErr != ERR_NONE) return errCode();
  return r;
}

/** 1 when the pattern is valid RE2 syntax (including what this engine cannot evaluate: \p classes, nesting of
 * non-capturing groups beyond MAX_DEPTH), 0 when not, -3 when the scratch region was too small to tell. */
export function reValidIn(pat: usize, patLen: i32, scratch: usize, scratchLen: usize): i32 {
  arenaReset(scratch, scratchLen);
  parsePattern(pat, patLen);
  if (reErr == ERR_NONE || reErr == ERR_UNSUPPORTED) return 1;
  if (reErr == ERR_LARGE) return RE_TOO_LARGE;
  return 0;
}
