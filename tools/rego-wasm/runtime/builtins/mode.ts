// Builtin error mode. OPA's default treats builtin errors (type errors included) as "undefined"; with
// strict-builtin-errors they halt evaluation. The runtime follows the flag the code generator sets.
import { abortType, abortBuiltin } from "../errors";

let strict = false;

export function rt_set_strict(flag: i32): void {
  strict = flag != 0;
}

/** Operand type error: aborts in strict mode, otherwise the builtin call is undefined (returns 0). */
export function typeErr(name: string, operand: i32, expected: string, v: usize): usize {
  if (strict) abortType(name, operand, expected, v);
  return 0;
}

/** Other builtin errors ("divide by zero"): aborts in strict mode, otherwise undefined. */
export function builtinErr(name: string, msg: string): usize {
  if (strict) abortBuiltin(name, msg);
  return 0;
}
