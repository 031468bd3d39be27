// Entry points the runtime's builtins call: regex.match and regex.is_valid with Go RE2 semantics.
//
// Memory: the engine works in a scratch region taken from the runtime's bump heap (heap.ts) and released before
// returning, so a call leaves the heap as it found it and nothing is cached across evaluations. The first try
// sizes the region from the pattern length; if the compiled program does not fit, the engine reports the size it
// needs and the call retries once with that (or with four times the room when the tree itself did not fit), up
// to MAX_SCRATCH.
import { alloc, heapMark, heapRelease } from "../heap";
import { reMatchIn, reValidIn, reScratchNeeded, RE_TOO_LARGE, RE_UNSUPPORTED } from "./engine";

const FIRST_SCRATCH: usize = 64 << 10;
const MAX_SCRATCH: usize = 64 << 20;

function firstScratch(patternLen: i32): usize {
  // Typical: ~24 bytes of tree and ~36 bytes of program and thread lists per pattern byte; counted repeats
  // ({0,255}) multiply the program, which the retry handles.
  const n = FIRST_SCRATCH + (<usize>patternLen << 7);
  return n < MAX_SCRATCH ? n : MAX_SCRATCH;
}

/**
 * regex.match(pattern, value): unanchored search of the UTF-8 text for the RE2 pattern.
 * Returns 1 match, 0 no match, -1 invalid pattern (Go rejects it), -2 valid RE2 that this engine cannot evaluate
 * (Unicode classes \p{..} other than \p{Any}, or a program beyond MAX_SCRATCH).
 */
export function regexMatch(patternPtr: usize, patternLen: i32, textPtr: usize, textLen: i32): i32 {
  let size = firstScratch(patternLen);
  while (true) {
    const mark = heapMark();
    const scratch = alloc(size);
    const r = reMatchIn(patternPtr, patternLen, textPtr, textLen, scratch, size);
    heapRelease(mark);
    if (r != RE_TOO_LARGE) return r;
    if (size >= MAX_SCRATCH) return RE_UNSUPPORTED;
    size = reScratchNeeded > size ? reScratchNeeded : size << 2;
    if (size > MAX_SCRATCH) size = MAX_SCRATCH;
  }
}

/** regex.is_valid(pattern): 1 when Go's regexp.Compile accepts the pattern, else 0. */
export function regexIsValid(patternPtr: usize, patternLen: i32): i32 {
  let size = firstScratch(patternLen);
  while (true) {
    const mark = heapMark();
    const scratch = alloc(size);
    const r = reValidIn(patternPtr, patternLen, scratch, size);
    heapRelease(mark);
    if (r != RE_TOO_LARGE) return r;
    if (size >= MAX_SCRATCH) return 0;
    size <<= 2;
    if (size > MAX_SCRATCH) size = MAX_SCRATCH;
  }
}
