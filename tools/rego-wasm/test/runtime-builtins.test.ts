// Native builtins of runtime.wasm, called directly: typical inputs, edge cases, OPA's output formatting, and the
// error mode (undefined by default, OPA's messages through opa_abort in strict mode).
import { buildRuntime, loadRuntime, Runtime, set, num } from "./runtime-harness";

beforeAll(() => buildRuntime(), 120000);

let rt: Runtime;
beforeAll(() => {
  rt = loadRuntime();
});

/** Exact number literal argument (keeps big integers and decimal text exact). */
const N = num;

function bi(name: string, ...args: unknown[]): string | undefined {
  return rt.bi(`rt_bi_${name}`, ...args);
}

type Case = [string, unknown[], string | undefined];

const cases: Case[] = [
  // arithmetic
  ["plus", [1, 2], "3"],
  ["plus", [0.1, 0.2], "0.30000000000000004"],
  ["plus", [1.5, 1.5], "3"],
  ["plus", [N("9223372036854775807"), 1], "9223372036854775808"],
  ["plus", [N("18446744073709551617"), 1], "18446744073709551618"],
  ["plus", [N("-9223372036854775808"), -1], "-9223372036854775809"],
  ["plus", [N("12345678901234567890123"), N("-12345678901234567890123")], "0"],
  ["plus", ["a", 1], undefined],
  ["minus", [5, 7], "-2"],
  ["minus", [N("9223372036854775808"), 1], "9223372036854775807"],
  ["minus", [set(1, 2, 3), set(2)], "[1,3]"],
  ["mul", [6, 7], "42"],
  ["mul", [N("18446744073709551617"), 2], "36893488147419103234"],
  ["mul", [N("4294967296"), N("4294967296")], "18446744073709551616"],
  ["mul", [1.5, 2], "3"],
  ["mul", [-1.5, 3], "-4.5"],
  ["div", [7, 2], "3.5"],
  ["div", [6, 3], "2"],
  ["div", [1, 3], "0.3333333333333333"],
  ["div", [1, 0], undefined],
  ["rem", [7, 3], "1"],
  ["rem", [-7, 3], "-1"],
  ["rem", [7, 0], undefined],
  ["rem", [7.5, 2], undefined],
  ["abs", [-5], "5"],
  ["abs", [-2.5], "2.5"],
  ["abs", [N("-12345678901234567890123")], "12345678901234567890123"],
  ["round", [2.5], "3"],
  ["round", [-2.5], "-3"],
  ["round", [2.4], "2"],
  ["ceil", [1.2], "2"],
  ["floor", [-1.2], "-2"],
  ["numbers_range", [1, 4], "[1,2,3,4]"],
  ["numbers_range", [2, -1], "[2,1,0,-1]"],
  ["numbers_range", [3, 3], "[3]"],
  ["numbers_range", [1, 2.5], undefined],
  ["and", [set(1, 2, 3), set(2, 3, 4)], "[2,3]"],
  ["or", [set(3, 1), set(2, "a")], '[1,2,3,"a"]'],
  // comparison
  ["equal", [1, N("1.0")], "true"],
  ["equal", [[1, { a: set(1) }], [1, { a: set(1) }]], "true"],
  ["neq", ["a", "b"], "true"],
  ["lt", [1, "a"], "true"],
  ["lt", [null, false], "true"],
  ["lte", [2, 2], "true"],
  ["gt", [[1, 2], [1]], "true"],
  ["gte", [{ a: 1 }, { a: 2 }], "false"],
  // types
  ["is_string", ["x"], "true"],
  ["is_string", [1], "false"],
  ["is_number", [1.5], "true"],
  ["is_boolean", [false], "true"],
  ["is_array", [[]], "true"],
  ["is_object", [{}], "true"],
  ["is_set", [set()], "true"],
  ["is_set", [[]], "false"],
  ["is_null", [null], "true"],
  ["type_name", [null], '"null"'],
  ["type_name", [true], '"boolean"'],
  ["type_name", [1], '"number"'],
  ["type_name", ["s"], '"string"'],
  ["type_name", [[]], '"array"'],
  ["type_name", [{}], '"object"'],
  ["type_name", [set()], '"set"'],
  // aggregates
  ["count", ["héllo😀"], "6"],
  ["count", [[1, 2, 3]], "3"],
  ["count", [{ a: 1 }], "1"],
  ["count", [set(1, 1, 2)], "2"],
  ["count", [1], undefined],
  ["sum", [[1, 2, 3.5]], "6.5"],
  ["sum", [set(N("18446744073709551617"), 1)], "18446744073709551618"],
  ["sum", [[N("9223372036854775807"), 1]], "9223372036854775808"],
  ["sum", [[]], "0"],
  ["sum", [[1, "a"]], undefined],
  ["product", [[2, 3, 4]], "24"],
  ["product", [[1.5, 2]], "3"],
  ["max", [[3, 1, 2]], "3"],
  ["max", [[1, "a", null]], '"a"'],
  ["max", [[]], undefined],
  ["min", [set(3, 1, 2)], "1"],
  ["min", [set()], undefined],
  ["sort", [[3, "b", 1, "a", null]], '[null,1,3,"a","b"]'],
  ["sort", [set(2, 1)], "[1,2]"],
  ["sort", [Array.from({ length: 30 }, (_, i) => (i * 7) % 30)], JSON.stringify(Array.from({ length: 30 }, (_, i) => i))],
  ["any", [[false, true]], "true"],
  ["any", [[]], "false"],
  ["all", [[true, true]], "true"],
  ["all", [[true, 1]], "false"],
  ["all", [[]], "true"],
  // strings
  ["startswith", ["hello", "he"], "true"],
  ["startswith", ["hello", "lo"], "false"],
  ["endswith", ["hello", "lo"], "true"],
  ["endswith", ["lo", "hello"], "false"],
  ["contains", ["hello", "ll"], "true"],
  ["contains", ["hello", ""], "true"],
  ["contains", ["hello", "x"], "false"],
  ["indexof", ["héllo", "l"], "2"],
  ["indexof", ["hello", "z"], "-1"],
  ["indexof_n", ["abab", "ab"], "[0,2]"],
  ["concat", [",", ["a", "b", "c"]], '"a,b,c"'],
  ["concat", ["-", set("b", "a")], '"a-b"'],
  ["concat", [",", []], '""'],
  ["concat", [",", ["a", 1]], undefined],
  ["split", ["a,b,,c", ","], '["a","b","","c"]'],
  ["split", ["abc", ""], '["a","b","c"]'],
  ["split", ["", ","], '[""]'],
  ["split", ["héé", ""], '["h","é","é"]'],
  ["trim", ["  xx  ", " "], '"xx"'],
  ["trim", ["abcxcba", "ab"], '"cxc"'],
  ["trim_left", ["aab", "a"], '"b"'],
  ["trim_right", ["baa", "a"], '"b"'],
  ["trim_prefix", ["prefix-x", "prefix-"], '"x"'],
  ["trim_prefix", ["x", "prefix-"], '"x"'],
  ["trim_suffix", ["x.rego", ".rego"], '"x"'],
  ["trim_space", ["\t\n x y \r\u00a0"], '"x y"'],
  ["replace", ["a.b.c", ".", "/"], '"a/b/c"'],
  ["replace", ["aaa", "a", "aa"], '"aaaaaa"'],
  ["replace", ["ab", "", "-"], '"-a-b-"'],
  ["lower", ["HeLLo ÀÉ"], '"hello àé"'],
  ["upper", ["hello àé ß"], '"HELLO ÀÉ ß"'],
  ["substring", ["héllo", 1, 3], '"éll"'],
  ["substring", ["hello", 2, -1], '"llo"'],
  ["substring", ["hello", 9, 2], '""'],
  ["substring", ["hello", 3, 100], '"lo"'],
  ["substring", ["hello", -1, 2], undefined],
  ["format_int", [255, 16], '"ff"'],
  ["format_int", [-255, 2], '"-11111111"'],
  ["format_int", [8, 8], '"10"'],
  ["format_int", [3.9, 10], '"3"'],
  ["format_int", [-3.9, 10], '"-3"'],
  ["format_int", [10, 3], undefined],
  ["to_number", ["42"], "42"],
  ["to_number", ["-1.5"], "-1.5"],
  ["to_number", ["12345678901234567890123"], "12345678901234567890123"],
  ["to_number", [true], "1"],
  ["to_number", [null], "0"],
  ["to_number", [7], "7"],
  ["to_number", ["x"], undefined],
  ["to_number", [[]], undefined],
  // objects, arrays, sets
  ["object_get", [{ a: { b: 1 } }, "a", 0], '{"b":1}'],
  ["object_get", [{ a: 1 }, "z", "dflt"], '"dflt"'],
  ["object_get", [{ a: { b: [10, 20] } }, ["a", "b", 1], 0], "20"],
  ["object_get", [{ a: { b: 1 } }, ["a", "x"], "d"], '"d"'],
  ["object_get", [{ a: 1 }, [], "d"], '{"a":1}'],
  ["object_get", ["str", "a", 1], undefined],
  ["object_keys", [{ b: 1, a: 2 }], '["a","b"]'],
  ["object_remove", [{ a: 1, b: 2, c: 3 }, ["a", "c"]], '{"b":2}'],
  ["object_remove", [{ a: 1, b: 2 }, set("b")], '{"a":1}'],
  ["object_union", [{ a: { x: 1 }, b: 1 }, { a: { y: 2 }, b: 2 }], '{"a":{"x":1,"y":2},"b":2}'],
  ["array_concat", [[1, 2], [3]], "[1,2,3]"],
  ["array_slice", [[1, 2, 3, 4], 1, 3], "[2,3]"],
  ["array_slice", [[1, 2, 3], -5, 10], "[1,2,3]"],
  ["array_slice", [[1, 2, 3], 2, 1], "[]"],
  ["union", [set(set(1, 2), set(2, 3))], "[1,2,3]"],
  ["union", [set()], "[]"],
  ["intersection", [set(set(1, 2), set(2, 3))], "[2]"],
  ["intersection", [set()], "[]"],
  ["internal_member_2", [2, [1, 2]], "true"],
  ["internal_member_2", [3, [1, 2]], "false"],
  ["internal_member_2", ["a", set("a")], "true"],
  ["internal_member_2", [1, { k: 1 }], "true"],
  ["internal_member_2", ["k", { k: 1 }], "false"],
  ["internal_member_2", ["a", "abc"], "false"],
  ["internal_member_3", [1, "b", ["a", "b"]], "true"],
  ["internal_member_3", [0, "b", ["a", "b"]], "false"],
  ["internal_member_3", ["k", 1, { k: 1 }], "true"],
  ["internal_member_3", ["x", "x", set("x")], "true"],
  // json
  ["json_marshal", [{ b: [1, "x"], a: set(2, 1), c: null }], JSON.stringify('{"a":[1,2],"b":[1,"x"],"c":null}')],
  ["json_marshal", [{ s: "<a href='x'>&amp;</a>\u2028\n\u0001" }], JSON.stringify('{"s":"\\u003ca href=\'x\'\\u003e\\u0026amp;\\u003c/a\\u003e\\u2028\\n\\u0001"}')],
  ["json_unmarshal", ['{"b":1,"a":[true]}'], '{"a":[true],"b":1}'],
  ["json_unmarshal", ["{bad"], undefined],
  ["json_is_valid", ["[1]"], "true"],
  ["json_is_valid", ["[1"], "false"],
  // regex (engine in runtime/regex)
  ["regex_match", ["^a+b$", "aaab"], "true"],
  ["regex_match", ["^a+b$", "aaabc"], "false"],
  ["regex_match", ["[0-9]{12}", "acct 123456789012"], "true"],
  ["regex_match", ["(", "x"], undefined],
  ["regex_match", [1, "x"], undefined],
  ["re_match", ["é+", "ééé"], "true"],
  ["regex_is_valid", ["^[A-Za-z][A-Za-z0-9_]{0,255}$"], "true"],
  ["regex_is_valid", ["a(b"], "false"],
  ["regex_is_valid", [5], "false"],
];

test.each(cases)("%s(%j) = %s", (name, args, want) => {
  expect(bi(name, ...args)).toBe(want);
});

describe("sprintf (OPA formats operands the way Go's fmt does)", () => {
  const sp = (f: string, ...args: unknown[]) => {
    const out = rt.bi("rt_bi_sprintf", f, args);
    return out === undefined ? undefined : (JSON.parse(out) as string);
  };
  test.each<[string, unknown[], string]>([
    ["%s", ["hi"], "hi"],
    ["%v", ["hi"], "hi"],
    ["%d", [42], "42"],
    ["%v", [42], "42"],
    ["%s", [42], "%!s(int=42)"],
    ["%s", [N("123456789123456789123")], "123456789123456789123"],
    ["%v", [N("18446744073709551618")], "18446744073709551618"],
    ["%d", [N("-1208925819614629174706175")], "-1208925819614629174706175"],
    ["%v", [1.5], "1.5"],
    ["%v", [N("1e21")], "1e+21"],
    ["%v", [N("0.00001")], "1e-05"],
    ["%v", [N("0.0001")], "0.0001"],
    ["%v", [N("1.0")], "1"],
    ["%d", [N("1.0")], "%!d(float64=1)"],
    ["%d", [1.5], "%!d(float64=1.5)"],
    ["%.2f", [3.14159], "3.14"],
    ["%f", [2.5], "2.500000"],
    ["%8.3f|", [-3.14159], "  -3.142|"],
    ["%f", [1], "%!f(int=1)"],
    ["%5d|%-5d|%05d", [42, 42, -42], "   42|42   |-0042"],
    ["%x %X %o %b", [255, 255, 8, 5], "ff FF 10 101"],
    ["%x", ["hi"], "6869"],
    ["%#x", [255], "0xff"],
    ["%+d", [5], "+5"],
    ["%q", ['a"b\n'], '"a\\"b\\n"'],
    ["%t", [true], "true"],
    ["%%", [], "%"],
    ["%v", [[1, "a", [true, null]]], '[1, "a", [true, null]]'],
    ["%v", [{ b: 1, a: "x" }], '{"a": "x", "b": 1}'],
    ["%v", [set(2, 1)], "{1, 2}"],
    ["%v", [set()], "set()"],
    ["%s", [[1]], "[1]"],
    ["%v", [null], "null"],
    ["%v", [true], "true"],
    ["%10s|%-4s|", ["abc", "é"], "       abc|é   |"],
    ["%.2s", ["héllo"], "hé"],
    ["%d %d", [1], "1 %!d(MISSING)"],
    ["%d", [1, 2], "1%!(EXTRA int=2)"],
    ["no verbs", [], "no verbs"],
  ])("sprintf(%j, %j) = %j", (f, args, want) => {
    expect(sp(f, ...args)).toBe(want);
  });
});

describe("print", () => {
  test("joins operands with spaces, strings raw, undefined marked, returns true", () => {
    const r = loadRuntime();
    const args = r.x.rt_array_new(4);
    r.x.rt_array_push(args, r.value("msg"));
    r.x.rt_array_push(args, r.value({ a: [1, "x"] }));
    r.x.rt_array_push(args, 0);
    r.x.rt_array_push(args, r.value(set("s")));
    expect(r.dump(r.x.rt_bi_print(args))).toBe("true");
    expect(r.printed).toEqual(['msg {"a": [1, "x"]} <undefined> {"s"}']);
  });
});

describe("strict builtin errors", () => {
  let s: Runtime;
  beforeAll(() => {
    s = loadRuntime();
    s.x.rt_set_strict(1);
  });
  test.each<[string, unknown[], string]>([
    ["div", [1, 0], "eval_builtin_error: div: divide by zero"],
    ["rem", [1, 0], "eval_builtin_error: rem: modulo by zero"],
    ["plus", ["a", 1], "eval_type_error: plus: operand 1 must be number but got string"],
    ["minus", [1, null], "eval_type_error: minus: operand 2 must be number but got null"],
    ["minus", [set(1), 1], "eval_type_error: minus: operand 2 must be set but got number"],
    ["minus", ["a", 1], "eval_type_error: minus: operand 1 must be one of {number, set} but got string"],
    ["count", [1], "eval_type_error: count: operand 1 must be one of {array, object, set, string} but got number"],
    ["object_get", ["x", "a", 1], "eval_type_error: object.get: operand 1 must be object but got string"],
    ["concat", [1, []], "eval_type_error: concat: operand 1 must be string but got number"],
    ["concat", [",", ["a", 1]], "eval_type_error: concat: operand 2 must be array of strings but got array containing number"],
    ["sum", [set(1, "x")], "eval_type_error: sum: operand 1 must be set of numbers but got set containing string"],
    ["to_number", ["x"], "eval_builtin_error: to_number: invalid syntax"],
    ["substring", ["abc", -1, 1], "eval_builtin_error: substring: negative offset"],
  ])("%s(%j) aborts with %j", (name, args, msg) => {
    expect(() => s.bi(`rt_bi_${name}`, ...args)).toThrow(msg);
  });
  test("valid calls still succeed in strict mode", () => {
    expect(s.bi("rt_bi_div", 6, 3)).toBe("2");
  });
});

describe("more builtins (strings.*, array/object extras, encoding, casts, units)", () => {
  test.each<Case>([
    ["strings_reverse", ["héllo"], '"olléh"'],
    ["strings_count", ["cheese", "e"], "3"],
    ["strings_count", ["five", ""], "5"],
    ["strings_split_n", ["a,b,c,d", ",", 2], '["a","b"]'],
    ["strings_split_n", ["a,b,c,d", ",", -2], '["c","d"]'],
    ["strings_split_n", ["a,b,c", ",", 10], '["a","b","c"]'],
    ["strings_split_n", ["abc", "", -2], '["b","c"]'],
    ["strings_split_n", ["a,b,c", ",", 0], "[]"],
    ["strings_split_n", ["a,b", ",", 1.5], undefined],
    ["strings_replace_n", [{ a: "1", ab: "2", b: "3" }, "abcab"], '"13c13"'],
    ["strings_replace_n", [{ "<": "&lt;", ">": "&gt;" }, "<p>"], '"&lt;p&gt;"'],
    ["strings_any_prefix_match", ["foobar", "foo"], "true"],
    ["strings_any_prefix_match", [["a1", "b1"], set("c", "b")], "true"],
    ["strings_any_prefix_match", [["a1"], ["b"]], "false"],
    ["strings_any_suffix_match", ["foobar", ["x", "bar"]], "true"],
    ["strings_any_prefix_match", [1, "a"], undefined],
    ["array_reverse", [[1, 2, 3]], "[3,2,1]"],
    ["array_reverse", [[]], "[]"],
    ["object_filter", [{ a: 1, b: 2, c: 3 }, ["a", "c", "z"]], '{"a":1,"c":3}'],
    ["object_filter", [{ a: 1, b: 2 }, set("b")], '{"b":2}'],
    ["object_union_n", [[{ a: 1 }, { b: 2 }, { a: 3 }]], '{"a":3,"b":2}'],
    ["object_union_n", [[]], "{}"],
    ["numbers_range_step", [0, 10, 3], "[0,3,6,9]"],
    ["numbers_range_step", [10, 1, 4], "[10,6,2]"],
    ["numbers_range_step", [0, 10, 0], undefined],
    ["base64_encode", ["hello"], '"aGVsbG8="'],
    ["base64_encode", [""], '""'],
    ["base64_encode", ["ab"], '"YWI="'],
    ["base64_decode", ["aGVsbG8="], '"hello"'],
    ["base64_decode", ["YWI="], '"ab"'],
    ["base64_decode", ["!!!!"], undefined],
    ["base64url_encode", ["\u00ff\u00fe"], '"w7_Dvg=="'],
    ["base64url_decode", ["w7_Dvg=="], '"\u00ff\u00fe"'],
    ["cast_array", [set(2, 1)], "[1,2]"],
    ["cast_set", [[2, 1, 2]], "[1,2]"],
    ["cast_string", ["x"], '"x"'],
    ["cast_string", [1], undefined],
    ["cast_boolean", [true], "true"],
    ["cast_null", [null], "null"],
    ["cast_object", [{ a: 1 }], '{"a":1}'],
    ["units_parse_bytes", ["10KB"], "10000"],
    ["units_parse_bytes", ["10KiB"], "10240"],
    ["units_parse_bytes", ["1.5Mi"], "1572864"],
    ["units_parse_bytes", ["100"], "100"],
    ["units_parse_bytes", ["5eib"], "5764607523034234880"],
    ["units_parse_bytes", ["10 KB"], undefined],
    ["units_parse_bytes", ["KB"], undefined],
    ["units_parse_bytes", ["10XB"], undefined],
    ["units_parse", ["1.5k"], "1500"],
    ["units_parse", ["100m"], "0.1"],
    ["units_parse", ["2M"], "2000000"],
    ["units_parse", ["1Gi"], "1073741824"],
    ["units_parse", ["-3"], "-3"],
  ])("%s(%j) = %s", (name, args, want) => {
    expect(bi(name, ...args)).toBe(want);
  });

  test("strict type errors with OPA's collection wording", () => {
    const s = loadRuntime();
    s.x.rt_set_strict(1);
    expect(() => s.bi("rt_bi_strings_any_prefix_match", 1, "a")).toThrow(
      "eval_type_error: strings.any_prefix_match: operand 1 must be one of {string, set, array} but got number",
    );
    expect(() => s.bi("rt_bi_strings_any_prefix_match", ["a", 1], "a")).toThrow(
      "eval_type_error: strings.any_prefix_match: operand 1 must be array of strings but got array containing number",
    );
    expect(() => s.bi("rt_bi_strings_split_n", "a", ",", 1.5)).toThrow(
      "eval_type_error: strings.split_n: operand 3 must be integer number but got floating-point number",
    );
  });
});
