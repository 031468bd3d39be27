// Tests of the AssemblyScript regular-expression engine (tools/rego-wasm/runtime/regex) that backs regex.match
// and regex.is_valid. The engine is compiled with asc from its test entry, then driven through raw memory.
// Expected results follow Go's regexp (RE2 syntax, Perl flags), which is what OPA uses.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";

const ROOT = path.resolve(__dirname, "../../..");
const ENTRY = path.join(ROOT, "tools/rego-wasm/runtime/regex/test-entry.ts");
const ASC = path.join(ROOT, "node_modules/assemblyscript/bin/asc.js");
const CONFORMANCE = path.resolve(ROOT, "../shared/opa-conformance/v1/regexmatch");
/** The heap (runtime/heap.ts) starts here; the entry's static input buffer lies below. */
const HEAP_START = 4 << 20;

interface RegexExports {
  memory: WebAssembly.Memory;
  regexMatch(p: number, pl: number, t: number, tl: number): number;
  regexIsValid(p: number, pl: number): number;
  inputBuffer(): number;
  inputSize(): number;
}

let ex: RegexExports;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regex-test-"));
  const out = path.join(dir, "regex.wasm");
  execFileSync(process.execPath, [ASC, ENTRY, "--runtime", "stub", "-O3", "--noAssert", "-o", out], {
    cwd: ROOT,
    stdio: "pipe",
  });
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(out), {
    policy: { static_end: () => HEAP_START },
  });
  ex = instance.exports as unknown as RegexExports;
  fs.rmSync(dir, { recursive: true, force: true });
}, 120000);

/** Writes the byte strings into the input buffer and returns their addresses. */
function place(...parts: Buffer[]): number[] {
  const base = ex.inputBuffer();
  const total = parts.reduce((n, b) => n + b.length, 0);
  if (total > ex.inputSize()) throw new Error("input too large for the test buffer");
  const mem = new Uint8Array(ex.memory.buffer);
  const addrs: number[] = [];
  let at = base;
  for (const b of parts) {
    mem.set(b, at);
    addrs.push(at);
    at += b.length;
  }
  return addrs;
}

function matchBytes(p: Buffer, t: Buffer): number {
  const [pa, ta] = place(p, t);
  return ex.regexMatch(pa, p.length, ta, t.length);
}

/** 1 match, 0 no match, -1 invalid, -2 unsupported. */
function match(pattern: string, text: string): number {
  return matchBytes(Buffer.from(pattern, "utf8"), Buffer.from(text, "utf8"));
}

function isValid(pattern: string): number {
  const p = Buffer.from(pattern, "utf8");
  const [pa] = place(p);
  return ex.regexIsValid(pa, p.length);
}

const T = 1;
const F = 0;
const INVALID = -1;
const UNSUPPORTED = -2;

// [pattern, text, expected]
const cases: Array<[string, string, number]> = [
  // literals and unanchored search
  ["abc", "abc", T],
  ["abc", "xxabcxx", T],
  ["abc", "ab", F],
  ["", "", T],
  ["", "x", T],
  ["a", "", F],
  // dot
  ["a.c", "abc", T],
  ["a.c", "a\nc", F],
  ["a.c", "aéc", T],
  ["^.$", "☺", T],
  ["^.$", "😀", T],
  ["^..$", "😀", F],
  ["(?s)a.c", "a\nc", T],
  ["(?s:.)", "\n", T],
  // escapes
  ["a\\.c", "a.c", T],
  ["a\\.c", "abc", F],
  ["\\\\", "a\\b", T],
  ["\\/", "a/b", T],
  ["\\-", "-", T],
  ["\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$", "*+?()[]{}|^$", T],
  ["a\\tb", "a\tb", T],
  ["a\\nb", "a\nb", T],
  ["a\\rb", "a\rb", T],
  ["\\x41", "A", T],
  ["\\x41", "a", F],
  ["\\x{263a}", "I ☺ you", T],
  ["\\x{1F600}", "😀", T],
  ["\\101", "A", T], // octal
  ["\\0", "\u0000", T],
  ["\\a\\f\\v", "\u0007\u000c\u000b", T],
  ["\\Qa.b*c\\E", "a.b*c", T],
  ["\\Qa.b*c\\E", "axbbc", F],
  ["\\Qab\\E+", "abbb", T],
  // Perl classes
  ["^\\d+$", "0123456789", T],
  ["\\d", "abc", F],
  ["^\\D+$", "abc", T],
  ["^\\D+$", "ab1", F],
  ["^\\w+$", "Az_09", T],
  ["\\w", "-!", F],
  ["^\\W+$", "-! ", T],
  ["^\\s+$", " \t\n\r\f", T],
  ["\\s", "\u000b", F], // Go's \s has no \v
  ["^\\S+$", "abc", T],
  ["\\d", "٣", F], // ASCII only
  ["\\w", "é", F],
  // bracket classes
  ["^[a-z0-9_]+$", "abc_123", T],
  ["^[a-z0-9_]+$", "abc-123", F],
  ["[^a-z]", "abc", F],
  ["[^a-z]", "abC", T],
  ["[^a]", "\n", T], // negated classes match newline
  ["^[\\d.]+$", "1.2.3", T],
  ["^[\\w-]+$", "a-b_c", T],
  ["^[a\\-z]+$", "a-z", T],
  ["^[a\\-z]+$", "b", F],
  ["^[-a]+$", "-a", T],
  ["^[a-]+$", "-a", T],
  ["^[]a]+$", "]a", T],
  ["^[^]a]+$", "bc", T],
  ["[[]", "[", T],
  ["^[\\s\\d]+$", " 1 2", T],
  ["^[^\\d]+$", "abc", T],
  ["^[^\\D]+$", "123", T],
  ["^[\\x41-\\x43]+$", "ABC", T],
  ["^[\\x41-\\x43]+$", "ABCD", F],
  ["^[à-ÿ]+$", "éèü", T],
  ["^[à-ÿ]+$", "eu", F],
  ["^[α-ω]+$", "λόγος", F], // ό (U+03CC) is outside α-ω
  ["^[α-ωό]+$", "λόγος", T],
  ["^[☺-☻]$", "☻", T],
  ["[😀-😂]", "x😁x", T],
  ["[[:alpha:]]", "1a", T],
  ["^[[:alpha:]]+$", "abcXYZ", T],
  ["^[[:digit:][:upper:]]+$", "A1B2", T],
  ["^[[:digit:][:upper:]]+$", "A1b2", F],
  ["^[[:^digit:]]+$", "abc", T],
  ["^[[:^digit:]]+$", "a1c", F],
  ["^[[:xdigit:]]+$", "deadBEEF09", T],
  ["^[[:punct:]]+$", "!-/:@[`{~", T],
  ["^[[:space:]]+$", " \t\u000b", T],
  ["^[[:word:]]+$", "a_1", T],
  ["^[acegikmoqsuwy]+$", "acegikmoqsuwy", T], // more than 8 ranges: binary search
  ["[acegikmoqsuwy]", "bdfhjlnprtvxz", F],
  ["^[^acegikmoqsuwy]+$", "bdfhjlnprtvxz", T],
  ["[[:a]", ":", T], // no ":]" follows, so "[" ":" "a" are ordinary members
  // anchors
  ["^abc", "abcd", T],
  ["^abc", "xabc", F],
  ["abc$", "xabc", T],
  ["abc$", "abc\n", F], // Go's $ is end of text
  ["^$", "", T],
  ["^$", "x", F],
  ["\\Aabc\\z", "abc", T],
  ["\\Aabc\\z", "abc\n", F],
  ["(?m)^b$", "a\nb\nc", T],
  ["^b$", "a\nb\nc", F],
  ["(?m)a$", "a\nb", T],
  ["\\bfoo\\b", "a foo b", T],
  ["\\bfoo\\b", "afoob", F],
  ["\\Bfoo\\B", "afoob", T],
  ["\\Bfoo", "foo", F],
  ["\\b", "", F],
  ["\\B", "", T],
  ["x\\b", "xé", T], // \b is ASCII: é is not a word character
  ["^*a", "a", T], // Go accepts a repeated anchor
  // groups and alternation
  ["^(abc)+$", "abcabc", T],
  ["^(?:ab|cd)+$", "abcdab", T],
  ["^(?:ab|cd)+$", "abce", F],
  ["^(?P<year>\\d{4})-(?P<month>\\d{2})$", "2024-05", T],
  ["^(?<name>[a-z]+)$", "abc", T],
  ["a|b|c", "xxc", T],
  ["^(a|b|c)$", "d", F],
  ["a|", "zzz", T], // empty alternative
  ["^(|a)$", "", T],
  ["()", "", T],
  ["^(a(b(c)))$", "abc", T],
  ["^a(?i)b|c$", "AB", F], // flags apply from their position on
  ["^a(?i)b|c$", "aB", T],
  ["^a(?i)b|c$", "xC", T], // ... including later alternatives of the same group
  ["^(?i:a)b$", "Ab", T],
  ["^(?i:a)b$", "AB", F],
  ["^(a(?i)b)c$", "aBc", T],
  ["^(a(?i)b)c$", "aBC", F], // flags end with their group
  // quantifiers
  ["^ab*c$", "ac", T],
  ["^ab*c$", "abbbc", T],
  ["^ab+c$", "ac", F],
  ["^ab?c$", "abbc", F],
  ["^a{3}$", "aaa", T],
  ["^a{3}$", "aa", F],
  ["^a{3}$", "aaaa", F],
  ["^a{2,}$", "aaaaaa", T],
  ["^a{2,}$", "a", F],
  ["^a{2,4}$", "aaaa", T],
  ["^a{2,4}$", "aaaaa", F],
  ["^a{0}b$", "b", T],
  ["^a{0,0}b$", "ab", F],
  ["^(ab){1,2}$", "abab", T],
  ["^a*?$", "aaa", T],
  ["^a+?b$", "aab", T],
  ["^a??b$", "ab", T],
  ["^a{2,3}?$", "aaa", T],
  ["^(?U)a+$", "aaa", T],
  ["a{", "a{", T], // not a repeat: literal brace
  ["{", "{", T],
  ["}", "x}", T],
  ["]", "]", T],
  ["^a{2$", "a{2", T],
  ["^\\08$", "\u00008", T], // octal \0, then a literal 8
  ["(?i)^[a-z]+$", "\u212a\u017f", T], // Kelvin sign and long s fold into a-z
  ["a{,2}", "a{,2}", T],
  ["^a{01}$", "a{01}", T], // leading zero: not a repeat
  ["x{1000}", "x", F],
  ["^x{1000}$", "x".repeat(1000), T],
  ["^(x{10}){100}$", "x".repeat(1000), T],
  ["^(?:a*)*$", "aaaa", T],
  ["^(a*)+$", "", T],
  ["^(a|b)*c$", "ababc", T],
  // case-insensitive
  ["(?i)hello", "HeLLo world", T],
  ["(?i)^[a-z]+$", "ABCdef", T],
  ["(?i)k", "\u212a", T], // Kelvin sign folds with k, as in Go
  ["(?i)\u212a", "K", T],
  ["(?i)s", "\u017f", T],
  ["(?i)é", "É", T],
  ["(?i)σ", "Σ", T],
  ["(?i)ς", "Σ", T],
  ["(?i)д", "Д", T],
  ["(?i)[^k]", "K", F],
  ["(?i)\\W", "k", F],
  ["(?i)[[:upper:]]", "a", T],
  ["(?i-i)a", "A", F],
  ["A", "a", F],
  // UTF-8 text handling, and skipping ahead to bytes that can start a match
  ["foo", "fofoo", T],
  ["b+c", "abbbbd bbc", T],
  ["b+c", "abbbbd bbd", F],
  ["é", "x".repeat(100) + "é", T],
  ["[à-ÿ]x", "aàbéx", T],
  ["[à-ÿ]x", "aàbéy", F],
  ["😀b", "a😀😀b", T],
  ["日本", "語日日本", T],
  ["(?i)é", "xxÉ", T],
  ["(?i)straße", "STRASSE", F], // simple folding only, as in Go
  ["\\bneedle\\b", "x ".repeat(50) + "needles needle", T], // skipping ahead with assertions at the start
  ["\\bneedle\\b", "x ".repeat(50) + "needles xneedle", F],
  ["\\Bneedle", "needle needle xneedle", T],
  ["\\Bneedle", "needle needle", F],
  ["(?m)^foo", "xfoo\nbar\nfoo", T],
  ["(?m)^foo", "xfoo\nbarfoo", F],
  ["(?m)foo$", "foox\nfoo\nbar", T],
  ["\\bé", "aé", T], // é is not a word character, a is
  ["\\bé", "☺é", F],
  ["\\b☺", "x☺", T],
  ["(?i)ß", "ẞ", T],
  ["^.{3}$", "日本語", T],
  ["^[^a]$", "日", T],
  ["語$", "日本語", T],
  ["\\x{FFFD}", "\ufffd", T],
  // Unicode classes: \p{Any} works; other tables are valid RE2 but not carried by this engine
  ["^\\p{Any}+$", "a\n☺", T],
  ["\\PL", "a", UNSUPPORTED],
  ["\\p{Greek}", "α", UNSUPPORTED],
  // project policies
  ["^\\d{12}$", "123456789012", T],
  ["^\\d{12}$", "12345678901", F],
  ["^\\d{12}$", "1234567890123", F],
  ["^\\d{12}$", "12345678901a", F],
  ["^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$", "ou-ab12-abcdefgh", T],
  ["^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$", "ou-ab1-abcdefgh", F],
  ["^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$", "ou-ab12-abcdefg", F],
  ["^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$", "ou-AB12-abcdefgh", F],
  ["^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$", `ou-${"a".repeat(32)}-${"b".repeat(32)}`, T],
  ["^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$", `ou-${"a".repeat(33)}-${"b".repeat(32)}`, F],
  ["^[A-Za-z][A-Za-z0-9_]{0,255}$", "BackupVault_01", T],
  ["^[A-Za-z][A-Za-z0-9_]{0,255}$", "1Vault", F],
  ["^[A-Za-z][A-Za-z0-9_]{0,255}$", "a".repeat(256), T],
  ["^[A-Za-z][A-Za-z0-9_]{0,255}$", "a".repeat(257), F],
  ["^[A-Za-z][A-Za-z0-9_]{0,255}$", "", F],
  ["^aws_controltower_", "aws_controltower_vault", T],
  ["^aws_controltower_", "my_aws_controltower_vault", F],
  ["^[a-z]{2}(-gov)?-[a-z]+-\\d$", "eu-west-1", T],
  ["^[a-z]{2}(-gov)?-[a-z]+-\\d$", "us-gov-west-1", T],
  ["^[a-z]{2}(-gov)?-[a-z]+-\\d$", "us-gov-west-12", F],
  ["^[a-z]{2}(-gov)?-[a-z]+-\\d$", "usa-east-1", F],
  ["^[a-z0-9_]+$", "daily_backup_35", T],
  ["^[a-z0-9_]{1,255}$", "backup_audit_db", T],
  ["^[a-z0-9_]{1,255}$", "backup-audit-db", F],
  ["^[a-z0-9_]{1,255}$", "", F],
  ["^[a-z0-9_]{1,255}$", "a".repeat(255), T],
  ["^[a-z0-9_]{1,255}$", "a".repeat(256), F],
  ["^[0-9]{12}$", "000011112222", T],
  ["^[0-9]{12}$", "00001111222", F],
  ["^[a-z0-9_]+$", "Daily", F],
  ["^[a-z0-9_]+$", "", F],
  // invalid patterns (Go's regexp.Compile fails)
  ["(", "", INVALID],
  [")", "", INVALID],
  ["(a", "", INVALID],
  ["a)", "", INVALID],
  ["[a", "", INVALID],
  ["[]", "", INVALID],
  ["[^]", "", INVALID],
  ["[z-a]", "", INVALID],
  ["[[:foo:]]", "", INVALID],
  ["*a", "", INVALID],
  ["a**", "", INVALID],
  ["a*+", "", INVALID],
  ["a{2}{3}", "", INVALID],
  ["a*??", "", INVALID],
  ["(*)", "", INVALID],
  ["a|*", "", INVALID],
  ["{2}", "", INVALID],
  ["a{1001}", "", INVALID],
  ["a{2,1001}", "", INVALID],
  ["a{3,2}", "", INVALID],
  ["a{100000000}", "", INVALID],
  ["(a{100}){100}", "", INVALID], // nested repeat counts multiply past 1000
  ["((a{10}){10}){11}", "", INVALID],
  ["\\1", "", INVALID], // backreference
  ["(a)\\1", "", INVALID],
  ["\\8", "", INVALID],
  ["(?=a)", "", INVALID], // lookaround
  ["(?!a)", "", INVALID],
  ["(?<=a)b", "", INVALID],
  ["(?<!a)b", "", INVALID],
  ["(?P=name)", "", INVALID],
  ["(?P<n>a)(?P<n>b)", "", INVALID], // duplicate name
  ["(?P<>a)", "", INVALID],
  ["(?P<a-b>a)", "", INVALID],
  ["(?z)", "", INVALID],
  ["(?i-)", "", INVALID],
  ["(?--i)", "", INVALID],
  ["\\", "", INVALID],
  ["a\\", "", INVALID],
  ["\\e", "", INVALID],
  ["\\Z", "", INVALID],
  ["\\C", "", INVALID],
  ["\\é", "", INVALID],
  ["\\x", "", INVALID],
  ["\\xZZ", "", INVALID],
  ["\\x{}", "", INVALID],
  ["\\x{110000}", "", INVALID],
  ["[\\b]", "", INVALID],
  ["[a-\\d]", "", INVALID],
  ["x++", "", INVALID],
  ["$^[[[", "something", INVALID],
  ["(".repeat(1001) + ")".repeat(1001), "", INVALID],
];

describe("regex engine: table of RE2 cases", () => {
  test("has at least 80 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
  });

  test.each(cases)("regex.match(%j, %j) = %d", (pattern, text, want) => {
    expect(match(pattern, text)).toBe(want);
  });
});

describe("regex engine: regex.is_valid", () => {
  test.each(cases)("regex.is_valid(%j)", (pattern, _text, want) => {
    expect(isValid(pattern)).toBe(want === INVALID ? 0 : 1);
  });
  test("nesting: Go's tree height limit of 1000", () => {
    expect(isValid("(".repeat(999) + "a" + ")".repeat(999))).toBe(1);
    expect(isValid("(".repeat(1000) + "a" + ")".repeat(1000))).toBe(0);
    expect(match("(".repeat(999) + "a" + ")".repeat(999), "xa")).toBe(T);
    // ... and a concatenation is one more level: ^(((a)))$ with 999 groups is too high for Go.
    expect(match("^" + "(".repeat(999) + "a" + ")".repeat(999) + "$", "a")).toBe(INVALID);
    // (...)* adds two levels (capture and star): 499 of them around "a" reach 999, 500 reach 1001.
    const starred = (k: number): string => "(".repeat(k) + "a" + ")*".repeat(k);
    expect(match("^" + starred(499) + "$", "aaa")).toBe(T);
    expect(isValid(starred(500))).toBe(0);
    // (?:...) adds no level in Go, but this engine bounds its recursion at 1000 nested groups.
    expect(match("(?:".repeat(1000) + "a" + ")".repeat(1000), "a")).toBe(T);
    expect(match("(?:".repeat(1001) + "a" + ")".repeat(1001), "a")).toBe(UNSUPPORTED);
    expect(isValid("(?:".repeat(1001) + "a" + ")".repeat(1001))).toBe(1);
  });
  test("invalid UTF-8 in the pattern is invalid", () => {
    const [pa] = place(Buffer.from([0x61, 0xff]));
    expect(ex.regexIsValid(pa, 2)).toBe(0);
  });
});

describe("regex engine: text handling", () => {
  test("malformed UTF-8 in the text reads as U+FFFD, one byte at a time", () => {
    expect(matchBytes(Buffer.from("^a.b$"), Buffer.from([0x61, 0xff, 0x62]))).toBe(T);
    // A truncated sequence (E2 98) is two bad bytes, each its own U+FFFD, as Go's utf8.DecodeRune reads it.
    expect(matchBytes(Buffer.from("^a..b$"), Buffer.from([0x61, 0xe2, 0x98, 0x62]))).toBe(T);
    expect(matchBytes(Buffer.from("^a.b$"), Buffer.from([0x61, 0xe2, 0x98, 0x62]))).toBe(F);
    expect(matchBytes(Buffer.from("^a\\x{FFFD}b$"), Buffer.from([0x61, 0xc0, 0x62]))).toBe(T);
    expect(matchBytes(Buffer.from("\\x{FFFD}b"), Buffer.from([0x61, 0xe2, 0x98, 0x62]))).toBe(T);
    expect(matchBytes(Buffer.from("ab"), Buffer.from([0xff, 0x61, 0xe2, 0x61, 0x62]))).toBe(T);
    expect(matchBytes(Buffer.from("[^a]b"), Buffer.from([0x61, 0x98, 0x62]))).toBe(T);
  });
  test("long texts are scanned without trouble", () => {
    const text = "x".repeat(200000) + "needle";
    expect(match("needle$", text)).toBe(T);
    expect(match("^x+needle$", text)).toBe(T);
    expect(match("nothing", text)).toBe(F);
  });
});

describe("regex engine: linear time", () => {
  test("(a*)*b on 30 a's answers at once", () => {
    const t0 = process.hrtime.bigint();
    expect(match("(a*)*b", "a".repeat(30))).toBe(F);
    expect(match("^(a+)+$", "a".repeat(30) + "!")).toBe(F);
    expect(match("^(a|a)*$", "a".repeat(5000) + "b")).toBe(F);
    expect(match("(x+x+)+y", "x".repeat(5000))).toBe(F);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    expect(ms).toBeLessThan(1000);
  });
  test("a large but legal program (x{1000} nested in an alternation) compiles and runs", () => {
    expect(match("^(?:[a-z]{1000}|\\d{1000})$", "7".repeat(1000))).toBe(T);
    expect(match("^(?:[a-z]{1000}|\\d{1000})$", "7".repeat(999))).toBe(F);
  });
});

/** Deterministic xorshift32, so a failing differential case can be reproduced. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

/**
 * Random patterns in the subset where RE2 and JavaScript's RegExp (u flag) agree on the test alphabet (ASCII plus
 * é É ü ☺): literals, ., bracket classes, \d \w \s, groups, alternation, all quantifiers with small counts, ^ $ \b \B.
 */
function randomPattern(r: () => number, depth: number): string {
  const pick = <X>(xs: X[]): X => xs[Math.floor(r() * xs.length)];
  const atom = (): string => {
    const k = r();
    if (depth <= 0 || k < 0.45) {
      return pick(["a", "b", "c", "A", "é", "É", "☺", ".", "[ab]", "[^a]", "[a-c_]", "[^\\d_]", "[é-ü]", "[^☺]", "\\d", "\\w",
        "\\s", "\\D", "\\W", "\\S", "-", "\\.", "\\n"]);
    }
    if (k < 0.6) return "(?:" + randomPattern(r, depth - 1) + ")";
    if (k < 0.7) return "(" + randomPattern(r, depth - 1) + ")";
    return "(?:" + randomPattern(r, depth - 1) + "|" + randomPattern(r, depth - 1) + ")";
  };
  const parts: string[] = [];
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.08) {
      parts.push(pick(["^", "$", "\\b", "\\B"]));
      continue;
    }
    let a = atom();
    const q = r();
    if (q < 0.5) a += pick(["*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}", "*?", "+?", "??"]);
    parts.push(a);
  }
  return r() < 0.15 ? parts.join("") + "|" + atom() : parts.join("");
}

describe("regex engine: differential check against JavaScript RegExp on a shared subset", () => {
  test("3000 random pattern/text pairs agree, with and without the i, m and s flags", () => {
    const r = prng(20261123);
    const alphabet = [..."abcAB \n_-1.éÉ☺ü"];
    const mismatches: string[] = [];
    let matched = 0;
    for (let i = 0; i < 3000; i++) {
      const pattern = randomPattern(r, 2);
      // JavaScript's i/m/s flags mean what RE2's (?i) (?m) (?s) do on this alphabet (no \r or U+2028 in texts).
      const flags = ["i", "m", "s"].filter(() => r() < 0.2).join("");
      const len = Math.floor(r() * 10);
      let text = "";
      for (let j = 0; j < len; j++) text += alphabet[Math.floor(r() * alphabet.length)];
      const want = new RegExp(pattern, flags + "u").test(text) ? T : F;
      const got = match((flags ? `(?${flags})` : "") + pattern, text);
      if (want === T) matched++;
      if (got !== want) mismatches.push(`${JSON.stringify(pattern)} flags=${flags} on ${JSON.stringify(text)}: got ${got}, want ${want}`);
    }
    expect(mismatches).toEqual([]);
    // Both outcomes must be well represented, or the comparison proves little.
    expect(matched).toBeGreaterThan(600);
    expect(matched).toBeLessThan(2400);
  });
});

describe("regex engine: robustness on random syntax", () => {
  test("5000 random patterns never trap, and match/is_valid agree on validity", () => {
    const r = prng(7);
    const pieces = ["(", ")", "[", "]", "{", "}", "|", "*", "+", "?", ".", "^", "$", "\\", "-", ":", ",", "0", "1",
      "2", "9", "a", "b", "P", "<", ">", "=", "!", "i", "s", "m", "U", "d", "w", "x", "Q", "E", "p", "é", "☺", "[:",
      ":]", "(?", "{2}", "{1,3}", "\\x{", "\\p{", "\\Q"];
    const problems: string[] = [];
    for (let i = 0; i < 5000; i++) {
      let pattern = "";
      const n = Math.floor(r() * 12);
      for (let j = 0; j < n; j++) pattern += pieces[Math.floor(r() * pieces.length)];
      const text = ["", "a", "ab\n1", "xé☺-:", "aaaaaaaaaa"][i % 5];
      let m: number;
      let v: number;
      try {
        m = match(pattern, text);
        v = isValid(pattern);
      } catch (e) {
        problems.push(`${JSON.stringify(pattern)}: ${String(e)}`);
        continue;
      }
      if (![1, 0, -1, -2].includes(m) || (m === -1) !== (v === 0)) problems.push(`${JSON.stringify(pattern)}: match ${m}, valid ${v}`);
    }
    expect(problems).toEqual([]);
  });
  test("random bytes as pattern and text never trap", () => {
    const r = prng(11);
    for (let i = 0; i < 2000; i++) {
      const p = Buffer.from(Array.from({ length: Math.floor(r() * 10) }, () => Math.floor(r() * 256)));
      const t = Buffer.from(Array.from({ length: Math.floor(r() * 10) }, () => Math.floor(r() * 256)));
      expect([1, 0, -1, -2]).toContain(matchBytes(p, t));
    }
  });
});

/** A Rego string literal's value (double-quoted, JSON escapes). */
function regoString(lit: string): string {
  return JSON.parse(lit) as string;
}

describe("regex engine: OPA conformance cases (regexmatch)", () => {
  const present = fs.existsSync(CONFORMANCE);
  if (!present) {
    test("conformance folder is absent", () => {
      console.log(`skipping OPA regexmatch conformance: ${CONFORMANCE} not found`);
      expect(present).toBe(false);
    });
    return;
  }
  type Case = { note: string; modules?: string[]; want_result?: Array<Record<string, unknown>> };
  const rows: Array<[string, string, string, number]> = [];
  for (const f of fs.readdirSync(CONFORMANCE).filter((n) => n.endsWith(".yaml"))) {
    const doc = parseYaml(fs.readFileSync(path.join(CONFORMANCE, f), "utf8")) as { cases: Case[] };
    for (const c of doc.cases) {
      // Only cases that call regex.match directly on two string literals test the engine itself.
      const m = /regex\.match\(("(?:[^"\\]|\\.)*"),\s*("(?:[^"\\]|\\.)*")\)/.exec((c.modules ?? []).join("\n"));
      if (!m || !c.want_result) continue;
      const want = c.want_result.length === 0 ? INVALID : c.want_result[0].x === true ? T : F;
      rows.push([c.note, regoString(m[1]), regoString(m[2]), want]);
    }
  }
  test("found cases", () => {
    expect(rows.length).toBeGreaterThan(0);
  });
  test.each(rows)("%s", (_note, pattern, text, want) => {
    expect(match(pattern, text)).toBe(want);
  });
});
