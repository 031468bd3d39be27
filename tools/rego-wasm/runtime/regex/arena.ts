// The engine's only memory: a caller-supplied scratch region used as a bump arena for the duration of one call
// (AST nodes, character-class ranges, the compiled program and the matcher's thread lists). Nothing survives the
// call, so the region can come from the runtime's per-evaluation heap. Running out of room is reported as
// ERR_LARGE rather than by touching memory outside the region.

export const ERR_NONE: i32 = 0;
/** The pattern is not valid RE2 syntax (Go's regexp.Compile would fail). */
export const ERR_INVALID: i32 = 1;
/** Valid RE2 syntax this engine does not implement (Unicode classes \p{..} other than \p{Any}). */
export const ERR_UNSUPPORTED: i32 = 2;
/** The pattern needs more scratch memory than was supplied. */
export const ERR_LARGE: i32 = 3;

/** First error met in the current call; once set, parsing and compiling stop. */
export let reErr: i32 = ERR_NONE;

let arenaTop: usize = 0;
let arenaEnd: usize = 0;

export function arenaReset(base: usize, size: usize): void {
  arenaTop = (base + 7) & ~<usize>7;
  arenaEnd = base + size;
  if (arenaTop > arenaEnd) arenaTop = arenaEnd;
  reErr = ERR_NONE;
}

/** Records the first error only: later ones are consequences of it. */
export function fail(code: i32): void {
  if (reErr == ERR_NONE) reErr = code;
}

/** n bytes, 8-aligned, uninitialised; 0 (and ERR_LARGE) when the region is exhausted. */
export function arenaAlloc(n: usize): usize {
  const p = arenaTop;
  if (n > arenaEnd - p) {
    fail(ERR_LARGE);
    return 0;
  }
  arenaTop = (p + n + 7) & ~<usize>7;
  if (arenaTop > arenaEnd) arenaTop = arenaEnd;
  return p;
}

export function arenaTopGet(): usize {
  return arenaTop;
}

/** Claims [arenaTop, p) after a caller wrote a variable-length block in place (character classes do). */
export function arenaTopSet(p: usize): void {
  arenaTop = (p + 7) & ~<usize>7;
  if (arenaTop > arenaEnd) arenaTop = arenaEnd;
}

export function arenaEndGet(): usize {
  return arenaEnd;
}
