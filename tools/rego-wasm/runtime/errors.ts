// Errors leave through env.opa_abort, which the JS SDK throws (the message string itself). None return.
import { env_opa_abort } from "./imports";
import { wNew, wLit, wBytes, wCString, wI64 } from "./writer";
import { tag } from "./value";

/** Type names as OPA spells them in error messages (indexed by tag). */
export function typeName(v: usize): string {
  if (v == 0) return "undefined";
  const t = tag(v);
  if (t == 0) return "null";
  if (t == 1) return "boolean";
  if (t == 2) return "number";
  if (t == 3) return "string";
  if (t == 4) return "array";
  if (t == 5) return "object";
  return "set";
}

export function abortWriter(w: usize): void {
  env_opa_abort(wCString(w));
  unreachable();
}

export function abortLit(msg: string): void {
  const w = wNew(64);
  wLit(w, msg);
  abortWriter(w);
}

/** "eval_builtin_error: <name>: <msg>" */
export function abortBuiltin(name: string, msg: string): void {
  const w = wNew(64);
  wLit(w, "eval_builtin_error: ");
  wLit(w, name);
  wLit(w, ": ");
  wLit(w, msg);
  abortWriter(w);
}

/** "eval_type_error: <name>: operand <n> must be <expected> but got <type of v>" */
export function abortType(name: string, operand: i32, expected: string, v: usize): void {
  const w = wNew(96);
  wLit(w, "eval_type_error: ");
  wLit(w, name);
  wLit(w, ": operand ");
  wI64(w, operand);
  wLit(w, " must be ");
  wLit(w, expected);
  wLit(w, " but got ");
  wLit(w, typeName(v));
  abortWriter(w);
}

export function abortBuiltinBytes(nameAddr: usize, nameLen: u32, msgAddr: usize, msgLen: u32): void {
  const w = wNew(64);
  wLit(w, "eval_builtin_error: ");
  wBytes(w, nameAddr, nameLen);
  wLit(w, ": ");
  wBytes(w, msgAddr, msgLen);
  abortWriter(w);
}

/** Target of asc's `abort` (assertions, bounds checks in std code): never expected, but must not import env.abort. */
export function asAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  abortLit("internal error in the rego-wasm runtime");
}

/** "eval_type_error: <name>: <msg>" for type errors whose wording is not the operand template. */
export function abortTypeMsg(name: string, msg: string): void {
  const w = wNew(96);
  wLit(w, "eval_type_error: ");
  wLit(w, name);
  wLit(w, ": ");
  wLit(w, msg);
  abortWriter(w);
}
