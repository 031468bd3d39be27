/**
 * Positions in JSON text, for messages that name a line and column: where a syntax error is (Node's JSON.parse
 * does not always say), where a field is, and where each element of an array starts. Plans from
 * `terraform show -json` are one line of several megabytes, so every function here is one linear pass with no
 * recursion, and positions come from a line index built once per text.
 */

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column (UTF-16 code units, as editors count them). */
  column: number;
}

/** Offsets of the starts of the lines of a text, for positionAt. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** Line and column of an offset, by binary search in the line index. */
export function positionAt(starts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && WHITESPACE.has(text[i])) i++;
  return i;
}

/** End offset (after the closing quote) of the string starting at `i`, or -1 when it is not a valid string. */
function stringEnd(text: string, i: number): number {
  STRING_BODY.lastIndex = i + 1;
  return STRING_BODY.test(text) ? STRING_BODY.lastIndex : -1;
}

/** The first syntax error of a JSON text (offset and what was expected), or null when it is valid JSON. */
export function jsonSyntaxError(text: string): { offset: number; message: string } | null {
  // Containers still open: "{" or "[".
  const open: string[] = [];
  let i = skipWhitespace(text, 0);
  const fail = (offset: number, expected: string) => {
    const found = offset >= text.length ? "the end of the file" : JSON.stringify(text.slice(offset, offset + 12));
    return { offset: Math.min(offset, text.length), message: `expected ${expected}, found ${found}` };
  };
  // Reads one value at i; containers push onto `open` and are finished by the loop below.
  for (;;) {
    // A value.
    const c = text[i];
    if (c === "{" || c === "[") {
      open.push(c);
      i = skipWhitespace(text, i + 1);
      if (text[i] === (c === "{" ? "}" : "]")) {
        open.pop();
        i = skipWhitespace(text, i + 1);
      } else if (c === "{") {
        if (text[i] !== '"') return fail(i, 'a key in double quotes or "}"');
        const end = stringEnd(text, i);
        if (end < 0) return fail(i, "a valid string");
        i = skipWhitespace(text, end);
        if (text[i] !== ":") return fail(i, '":"');
        i = skipWhitespace(text, i + 1);
        continue;
      } else {
        continue;
      }
    } else if (c === '"') {
      const end = stringEnd(text, i);
      if (end < 0) return fail(i, "a valid string (closed, with valid escapes and no raw control characters)");
      i = skipWhitespace(text, end);
    } else {
      LITERAL.lastIndex = i;
      const m = LITERAL.exec(text);
      if (!m) return fail(i, "a value (object, array, string, number, true, false or null)");
      i = skipWhitespace(text, i + m[0].length);
    }
    // After a value: close containers or move to the next member.
    for (;;) {
      const top = open[open.length - 1];
      if (top === undefined) return i === text.length ? null : fail(i, "the end of the file");
      const close = top === "{" ? "}" : "]";
      if (text[i] === close) {
        open.pop();
        i = skipWhitespace(text, i + 1);
        continue;
      }
      if (text[i] !== ",") return fail(i, `"," or "${close}"`);
      i = skipWhitespace(text, i + 1);
      if (top === "{") {
        if (text[i] !== '"') return fail(i, "a key in double quotes");
        const end = stringEnd(text, i);
        if (end < 0) return fail(i, "a valid string");
        i = skipWhitespace(text, end);
        if (text[i] !== ":") return fail(i, '":"');
        i = skipWhitespace(text, i + 1);
      }
      break;
    }
  }
}

/** Offset just after the value starting at `i` (valid JSON assumed). */
function valueEnd(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return stringEnd(text, i);
  if (c !== "{" && c !== "[") {
    LITERAL.lastIndex = i;
    const m = LITERAL.exec(text);
    return i + (m ? m[0].length : 1);
  }
  let depth = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i = stringEnd(text, i);
      continue;
    }
    if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}

/** Calls `visit(key or index, offset of the value)` for each member of the container at `i`; stops when it returns true. */
function eachMember(text: string, i: number, visit: (key: string | number, valueOffset: number) => boolean): void {
  const isObject = text[i] === "{";
  i = skipWhitespace(text, i + 1);
  let index = 0;
  while (i < text.length && text[i] !== "}" && text[i] !== "]") {
    let key: string | number = index;
    if (isObject) {
      const end = stringEnd(text, i);
      key = JSON.parse(text.slice(i, end)) as string;
      i = skipWhitespace(text, end);
      i = skipWhitespace(text, i + 1); // ":"
    }
    if (visit(key, i)) return;
    i = skipWhitespace(text, valueEnd(text, i));
    if (text[i] === ",") i = skipWhitespace(text, i + 1);
    index++;
  }
}

/**
 * Offset of the value at `segments` (object keys and array indices) in valid JSON text, or of its deepest existing
 * ancestor when the path leaves the document (a missing field points at its parent).
 */
export function locateJsonOffset(text: string, segments: ReadonlyArray<string | number>): number {
  let at = skipWhitespace(text, 0);
  for (const seg of segments) {
    if (text[at] !== "{" && text[at] !== "[") break;
    let found = -1;
    eachMember(text, at, (key, offset) => {
      if (key === seg) found = offset;
      return found >= 0;
    });
    if (found < 0) break;
    at = found;
  }
  return at;
}

/** Offsets of the elements of the array at `segments` (empty when there is no array there). */
export function arrayElementOffsets(text: string, segments: ReadonlyArray<string | number>): number[] {
  const at = locateJsonOffset(text, segments);
  if (text[at] !== "[") return [];
  const offsets: number[] = [];
  eachMember(text, at, (_, offset) => {
    offsets.push(offset);
    return false;
  });
  return offsets;
}
