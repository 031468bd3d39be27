/**
 * How one file's rows become JSON objects (reports/normalize.ts plans it from the header): the text before each
 * known column's value, the names of the unknown ones, and the constant tail.
 */
export interface JsonRowLayout {
  /**
   * Per file column, as UTF-8: the JSON text before its value (`{"name":` for the first known column,
   * `,"name":` for the others), or null for an unknown column (kept in `unknown_columns`).
   */
  readonly keys: ReadonlyArray<Buffer | null>;
  /** The same with the value's opening quote (`,"name":"`), for the common value that needs no escaping. */
  readonly openKeys: ReadonlyArray<Buffer | null>;
  /** Map keys of the unknown columns, by file column index. */
  readonly unknownNames: ReadonlyArray<string | null>;
  /** Constant JSON text after the known columns (derived columns, lineage, the opening of `unknown_columns`). */
  readonly constant: Buffer;
}

const INITIAL_BUFFER_BYTES = 128 * 1024;

const QUOTE = 0x22;
const CLOSE_ROW = Buffer.from("}}\n");

/**
 * JSON Lines written straight into bytes: keys are copied as pre-encoded UTF-8 and values encoded in place, so
 * a row leaves no strings behind for the garbage collector (building each row as a string made several times
 * the report's size in short-lived strings, and the young generation grew with it).
 */
export class JsonLinesBuffer {
  private buf = Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
  length = 0;

  /** One row; the plan has at least one known column (a file without any is skipped). */
  addRow(plan: JsonRowLayout, record: readonly string[]): void {
    let unknown = 0;
    for (let i = 0; i < record.length; i++) {
      const value = record[i];
      const key = plan.keys[i];
      if (key === null) {
        unknown++;
        continue;
      }
      // Room for the key, the value at 3 bytes per UTF-16 unit (6 when escaped), and the quotes.
      this.reserve(key.length + value.length * 6 + 2);
      const open = plan.openKeys[i] as Buffer;
      this.buf.set(open, this.length);
      if (this.putPlain(value, this.length + open.length)) continue;
      // Quote, backslash, control character or non-ASCII: JSON.stringify escapes and the UTF-8 encoder encodes.
      this.buf.set(key, this.length);
      this.length += key.length;
      this.length += this.buf.write(JSON.stringify(value), this.length);
    }
    this.reserve(plan.constant.length);
    this.buf.set(plan.constant, this.length);
    this.length += plan.constant.length;
    if (unknown > 0) {
      let text = "";
      for (let i = 0; i < record.length; i++) {
        if (plan.keys[i] !== null) continue;
        text += `${text === "" ? "" : ","}${JSON.stringify(plan.unknownNames[i])}:${JSON.stringify(record[i])}`;
      }
      this.reserve(text.length * 3);
      this.length += this.buf.write(text, this.length);
    }
    this.reserve(CLOSE_ROW.length);
    this.buf.set(CLOSE_ROW, this.length);
    this.length += CLOSE_ROW.length;
  }

  /**
   * Writes `value"` at `at` when every character is printable ASCII other than quote and backslash (nearly
   * every report value): then its JSON text is itself. Returns false, writing nothing that counts, otherwise.
   */
  private putPlain(value: string, at: number): boolean {
    const buf = this.buf;
    for (let j = 0; j < value.length; j++) {
      const c = value.charCodeAt(j);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
      buf[at++] = c;
    }
    buf[at++] = QUOTE;
    this.length = at;
    return true;
  }

  /** The bytes so far; the buffer starts afresh (the stream keeps the returned bytes until written). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.length);
    this.buf = Buffer.allocUnsafe(Math.max(INITIAL_BUFFER_BYTES, this.length));
    this.length = 0;
    return out;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + bytes));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }
}

