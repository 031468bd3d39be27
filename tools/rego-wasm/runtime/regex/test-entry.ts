// Test harness module (not part of the runtime build): exposes the regex entry points plus a static input buffer
// the tests write the pattern and text into. The runtime's heap (heap.ts) starts at policy.static_end, which the
// test supplies as an import.
export { regexMatch, regexIsValid } from "./index";

const INPUT_BYTES: i32 = 1 << 20;
const input = memory.data(INPUT_BYTES, 16);

/** Address of the input buffer (INPUT_BYTES long). */
export function inputBuffer(): usize {
  return input;
}

export function inputSize(): i32 {
  return INPUT_BYTES;
}
