// Comparison operators (==, !=, <, <=, >, >=) over Rego's total order; they accept any operand types.
import { mkBool } from "../value";
import { compare, equal } from "../compare";

export function rt_bi_equal(a: usize, b: usize): usize {
  return mkBool(equal(a, b));
}
export function rt_bi_neq(a: usize, b: usize): usize {
  return mkBool(!equal(a, b));
}
export function rt_bi_lt(a: usize, b: usize): usize {
  return mkBool(compare(a, b) < 0);
}
export function rt_bi_lte(a: usize, b: usize): usize {
  return mkBool(compare(a, b) <= 0);
}
export function rt_bi_gt(a: usize, b: usize): usize {
  return mkBool(compare(a, b) > 0);
}
export function rt_bi_gte(a: usize, b: usize): usize {
  return mkBool(compare(a, b) >= 0);
}
