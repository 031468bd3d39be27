// Builtin error mode. OPA's default treats builtin errors (type errors included) as "undefined"; with
// strict-builtin-errors they halt evaluation. The runtime follows the flag the code generator sets.
import { abortType, abortTypeMsg, abortBuiltin, abortWriter, typeName } from "../errors";
import { wNew, wLit, wI64 } from "../writer";

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

/** A type error with its own wording (e.g. "operand 3 must be integer number but got floating-point number"). */
export function typeErrMsg(name: string, msg: string): usize {
  if (strict) abortTypeMsg(name, msg);
  return 0;
}

export function isStrict(): bool {
  return strict;
}

/** OPA's element type error: "operand N must be <array|set> of <expected>s but got <array|set> containing <type>". */
export function typeErrElem(name: string, operand: i32, coll: usize, expected: string, elem: usize): usize {
  if (strict) {
    const w = wNew(112);
    wLit(w, "eval_type_error: ");
    wLit(w, name);
    wLit(w, ": operand ");
    wI64(w, operand);
    wLit(w, " must be ");
    wLit(w, typeName(coll));
    wLit(w, " of ");
    wLit(w, expected);
    wLit(w, "s but got ");
    wLit(w, typeName(coll));
    wLit(w, " containing ");
    wLit(w, typeName(elem));
    abortWriter(w);
  }
  return 0;
}
