import { Parser, type ParseError } from "papaparse";

/**
 * Incremental RFC 4180 record splitting for the normaliser, on PapaParse's low-level parser (the fastest
 * well-kept streaming CSV parser on npm here: ~3× csv-parse). Text goes in piece by piece, complete records
 * come out; a record that a piece cuts in two waits for the next piece.
 *
 * What it adds to PapaParse: the strictness an audit tool needs (an unclosed quote, a malformed closing quote,
 * a record with another field count than the header, or a record beyond the size limit is an error, never a
 * guess), physical line numbers in every error, a UTF-8 BOM dropped, empty lines skipped.
 * What it keeps from PapaParse, and docs/ingestion.md says so: a quote inside an UNQUOTED field is kept as a
 * character (`ab"c` → `ab"c`, as Python's csv and Trino's CSV reader read it), and blanks between a closing
 * quote and the delimiter are dropped.
 */

export type CsvErrorCode =
  | "CSV_QUOTE_NOT_CLOSED"
  | "CSV_INVALID_CLOSING_QUOTE"
  | "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH"
  | "CSV_MAX_RECORD_SIZE";

/** A syntax error with the physical line (1-based) where the offending record or field starts. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly code: CsvErrorCode,
    readonly line: number,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = "CsvSyntaxError";
  }
}

/** Longer than any report record; bounds memory (and re-scanning) when a quote is never closed. */
const MAX_RECORD_CHARS = 8 * 1024 * 1024;

/** Parse once this much text is pending: fewer, larger calls into the parser. */
const MIN_PARSE_CHARS = 48 * 1024;

type Newline = "\r\n" | "\n" | "\r";

interface PapaResult {
  readonly data: string[][];
  readonly errors: ParseError[];
  readonly meta: { readonly cursor: number };
}

export interface CsvSplitterOptions {
  /** Text to gather before a parse (48 KiB); tests lower it to cut records at every position. */
  readonly minParseChars?: number;
  /** Longest record accepted, in characters (8 MiB). */
  readonly maxRecordChars?: number;
}

export class CsvRecordSplitter {
  private readonly minParseChars: number;
  private readonly maxRecordChars: number;
  private pending = "";
  private parser: Parser | null = null;
  private newline: Newline = "\n";
  /** Newlines before `pending` (physical lines already consumed). */
  private linesBefore = 0;
  private started = false;
  private fieldCount = -1;

  constructor(options: CsvSplitterOptions = {}) {
    this.minParseChars = options.minParseChars ?? MIN_PARSE_CHARS;
    this.maxRecordChars = options.maxRecordChars ?? MAX_RECORD_CHARS;
  }

  /** Adds text; returns the records it completed (possibly none). */
  write(text: string): string[][] {
    if (!this.started) {
      if (text === "") return [];
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.pending += text;
    if (this.pending.length < this.minParseChars) return [];
    return this.parse(false);
  }

  /** No more text: returns the last records, or throws for an unclosed quote. */
  end(): string[][] {
    return this.pending === "" ? [] : this.parse(true);
  }

  private parse(final: boolean): string[][] {
    // A CRLF cut between its two characters would read as a malformed closing quote: keep the CR for later.
    const holdBack = !final && this.pending.endsWith("\r") ? 1 : 0;
    const input = holdBack ? this.pending.slice(0, -1) : this.pending;
    if (this.parser === null) {
      // The record separator is known once a line break is seen (or the text has ended without one).
      const newline = detectNewline(input);
      if (newline === null && !final) {
        this.checkSize();
        return [];
      }
      this.newline = newline ?? "\n";
      this.parser = new Parser({ delimiter: ",", newline: this.newline, quoteChar: '"', escapeChar: '"' });
    }
    const result = this.parser.parse(input, 0, !final) as PapaResult;
    if (result.errors.length > 0) this.fail(input, result.errors[0]);
    const consumed = final ? input.length : result.meta.cursor;
    const records = this.check(result.data);
    this.linesBefore += countNewlines(input, 0, consumed, this.newline);
    this.pending = this.pending.slice(consumed);
    this.checkSize();
    return records;
  }

  private checkSize(): void {
    if (this.pending.length > this.maxRecordChars) {
      throw new CsvSyntaxError(
        "CSV_MAX_RECORD_SIZE",
        this.linesBefore + 1,
        `a record longer than ${this.maxRecordChars} characters starts here (a quote that is never closed?)`,
      );
    }
  }

  /** Drops empty lines and enforces the header's field count, naming the record's first line. */
  private check(rows: string[][]): string[][] {
    const out: string[][] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (row.length === 1 && row[0] === "") continue;
      if (this.fieldCount === -1) this.fieldCount = row.length;
      else if (row.length !== this.fieldCount) {
        throw new CsvSyntaxError(
          "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH",
          this.linesBefore + 1 + linesOf(rows.slice(0, i), this.newline),
          `the record has ${row.length} field(s), the header ${this.fieldCount}`,
        );
      }
      out.push(row);
    }
    return out;
  }

  private fail(input: string, error: ParseError): never {
    const line = this.linesBefore + 1 + countNewlines(input, 0, error.index ?? 0, this.newline);
    if (error.code === "MissingQuotes") {
      throw new CsvSyntaxError("CSV_QUOTE_NOT_CLOSED", line, "a quoted field opened here is never closed");
    }
    throw new CsvSyntaxError(
      "CSV_INVALID_CLOSING_QUOTE",
      line,
      "a quoted field starting here has a quote followed by neither a delimiter, a line break nor another quote",
    );
  }
}

/**
 * The record separator: the first line break outside quotes (an even number of quotes before it), or null when
 * the text has none yet.
 */
function detectNewline(text: string): Newline | null {
  let quotes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) quotes++;
    else if ((c === 0x0a || c === 0x0d) && quotes % 2 === 0) {
      return c === 0x0a ? "\n" : text.charCodeAt(i + 1) === 0x0a ? "\r\n" : "\r";
    }
  }
  return null;
}

/** Physical lines counted by "\n" (or "\r" in a CR-only file), the way an editor numbers them. */
function countNewlines(text: string, from: number, to: number, newline: Newline): number {
  const mark = newline === "\r" ? "\r" : "\n";
  let n = 0;
  for (let i = text.indexOf(mark, from); i !== -1 && i < to; i = text.indexOf(mark, i + 1)) n++;
  return n;
}

/** Lines taken by already-parsed rows (their separators plus line breaks inside quoted values). */
function linesOf(rows: readonly string[][], newline: Newline): number {
  let n = 0;
  for (const row of rows) {
    n++;
    for (const value of row) n += countNewlines(value, 0, value.length, newline);
  }
  return n;
}
