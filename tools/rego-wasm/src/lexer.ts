/**
 * Rego tokenizer. Whitespace and `#` comments are dropped, but each token records whether a newline and
 * whether any whitespace preceded it: Rego separates body expressions by newlines, and `x [0]` / `f (x)` are
 * not refs/calls, so the parser needs both facts.
 */

import { Location, RegoCompileError } from "./ast";

export type TokenType = "ident" | "number" | "string" | "punct" | "eof";

export interface Token {
  type: TokenType;
  /** Identifier name, punctuation text, number literal text, or the decoded string value. */
  text: string;
  /** True for raw (backtick) strings. */
  raw: boolean;
  /** A newline occurs between the previous token and this one. */
  nl: boolean;
  /** Any whitespace or comment occurs between the previous token and this one. */
  ws: boolean;
  loc: Location;
}

// Longest first, so that `:=` wins over `:` and `==` over `=`.
const PUNCT = [":=", "==", "!=", "<=", ">=", "{", "}", "[", "]", "(", ")", ".", ",", ";", ":", "=", "<", ">",
  "+", "-", "*", "/", "%", "&", "|"];

export function tokenize(file: string, src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let nl = false;
  let ws = false;
  const loc = (at: number): Location => ({ file, line, col: at - lineStart + 1 });
  const fail = (at: number, msg: string): never => {
    throw new RegoCompileError(loc(at), msg);
  };
  while (i < src.length) {
    const c = src[i];
    if (c === "\n") {
      i++;
      line++;
      lineStart = i;
      nl = true;
      ws = true;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      ws = true;
      continue;
    }
    if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      ws = true;
      continue;
    }
    const start = i;
    const push = (type: TokenType, text: string, raw = false): void => {
      out.push({ type, text, raw, nl, ws, loc: loc(start) });
      nl = false;
      ws = false;
    };
    if (/[A-Za-z_]/.test(c)) {
      while (i < src.length && /[A-Za-z0-9_]/.test(src[i])) i++;
      const word = src.slice(start, i);
      push("ident", word);
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(i));
      if (!m) fail(start, "invalid number");
      i += m![0].length;
      if (i < src.length && /[A-Za-z0-9_.]/.test(src[i])) fail(start, "invalid number literal");
      push("number", m![0]);
      continue;
    }
    if (c === '"') {
      i++;
      let value = "";
      for (;;) {
        if (i >= src.length || src[i] === "\n") fail(start, "unterminated string");
        const ch = src[i];
        if (ch === '"') {
          i++;
          break;
        }
        if (ch !== "\\") {
          value += ch;
          i++;
          continue;
        }
        const e = src[i + 1];
        i += 2;
        switch (e) {
          case '"': value += '"'; break;
          case "\\": value += "\\"; break;
          case "/": value += "/"; break;
          case "b": value += "\b"; break;
          case "f": value += "\f"; break;
          case "n": value += "\n"; break;
          case "r": value += "\r"; break;
          case "t": value += "\t"; break;
          case "u": {
            const hex = src.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(i - 2, "invalid \\u escape in string");
            i += 4;
            // JSON encodes astral code points as surrogate pairs; JS strings are UTF-16, so appending the
            // code units in order reassembles the pair (and keeps a lone surrogate as OPA's Go decoder would
            // replace it, which we accept as a known difference).
            value += String.fromCharCode(parseInt(hex, 16));
            break;
          }
          default:
            fail(i - 2, `invalid escape \\${e ?? ""} in string`);
        }
      }
      push("string", value);
      continue;
    }
    if (c === "`") {
      const end = src.indexOf("`", i + 1);
      if (end < 0) fail(start, "unterminated raw string");
      // Take the location before the line bookkeeping below moves past a multi-line literal.
      const at = loc(start);
      for (let k = i; k < end; k++) {
        if (src[k] === "\n") {
          line++;
          lineStart = k + 1;
        }
      }
      i = end + 1;
      out.push({ type: "string", text: src.slice(start + 1, end), raw: true, nl, ws, loc: at });
      nl = false;
      ws = false;
      continue;
    }
    if (c === "$") fail(start, "template strings are not supported");
    const p = PUNCT.find((q) => src.startsWith(q, i));
    if (!p) fail(start, `unexpected character ${JSON.stringify(c)}`);
    i += p!.length;
    push("punct", p!);
  }
  out.push({ type: "eof", text: "<eof>", raw: false, nl: true, ws: true, loc: loc(i) });
  return out;
}

