import { StringDecoder } from "string_decoder";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { CsvRecordSplitter, CsvSyntaxError } from "../reports/csv-records";

/**
 * The splitter against csv-parse (the strict reference reader) on the same bytes, cut into pieces anywhere:
 * inside a multi-byte character, between CR and LF, between the two quotes of an escaped quote, right after a
 * closing quote. `minParseChars: 1` makes every piece a parse, so every cut is a record boundary case.
 */

function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    pieces.push(bytes.subarray(from, p));
    from = p;
  }
  pieces.push(bytes.subarray(from));
  return pieces;
}

function records(pieces: readonly Buffer[], minParseChars = 1): string[][] {
  const splitter = new CsvRecordSplitter({ minParseChars });
  const decoder = new StringDecoder("utf8");
  const out: string[][] = [];
  for (const piece of pieces) out.push(...splitter.write(decoder.write(piece)));
  out.push(...splitter.write(decoder.end()), ...splitter.end());
  return out;
}

function reference(bytes: Buffer): string[][] {
  return parse(bytes, { bom: true, skip_empty_lines: true }) as string[][];
}

function failure(text: string, minParseChars = 1): CsvSyntaxError {
  try {
    records([Buffer.from(text)], minParseChars);
  } catch (err) {
    if (err instanceof CsvSyntaxError) return err;
    throw err;
  }
  throw new Error(`no CsvSyntaxError for ${JSON.stringify(text)}`);
}

const value = fc.string({
  unit: fc.constantFrom("a", "Z", "0", " ", ",", '"', "\r\n", "\n", "é", "€", "😀", "{", ":", "\\", "\t"),
  maxLength: 12,
});

function encode(rows: readonly string[][], newline: string, quoteAll: boolean, bom: boolean, trailing: boolean): Buffer {
  const field = (v: string) => (quoteAll || /[",\r\n]/.test(v) || v === "" ? `"${v.replace(/"/g, '""')}"` : v);
  const text = rows.map((r) => r.map(field).join(",")).join(newline) + (trailing ? newline : "");
  return Buffer.from((bom ? "\uFEFF" : "") + text, "utf8");
}

describe("CsvRecordSplitter", () => {
  test("property: the same records as csv-parse, however the bytes are cut", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }).chain((width) => fc.array(fc.array(value, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 })),
        fc.constantFrom("\r\n", "\n"),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        (rows, newline, quoteAll, bom, trailing, cuts) => {
          const bytes = encode(rows, newline, quoteAll, bom, trailing);
          const expected = reference(bytes);
          expect(expected).toEqual(rows); // the encoder is right, so the comparison means something
          expect(records(splitAt(bytes, cuts))).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  test("every cut position of a sample with every tricky construct", () => {
    const text =
      '\uFEFF"Account Id","Status Message","Size"\r\n' +
      '"111","a ""quoted"" word, and a comma","1"\r\n' +
      '"222","two\r\nlines","€ 2"\r\n' +
      '"333","","😀"\r\n' +
      "\r\n" +
      '444,plain,"4"\r\n';
    const bytes = Buffer.from(text, "utf8");
    const expected = reference(bytes);
    expect(expected).toHaveLength(5);
    for (let a = 0; a <= bytes.length; a++) {
      expect(records(splitAt(bytes, [a]))).toEqual(expected);
    }
    // And two cuts at once, a stride apart.
    for (let a = 0; a <= bytes.length; a += 3) expect(records(splitAt(bytes, [a, a + 7]))).toEqual(expected);
  });

  test("large pieces (64 KiB batches) give the same records", () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [`J${i}`, i % 9 === 0 ? `line\r\nbreak "${i}"` : "COMPLETED", `${i}`]);
    const bytes = encode(rows, "\r\n", true, false, true);
    expect(records(splitAt(bytes, [70000, 140001, 200003]), 64 * 1024)).toEqual(rows);
  });

  test("a CR-only file is split on CR", () => {
    expect(records([Buffer.from('"a","b"\r"1","x\ry"\r')])).toEqual([
      ["a", "b"],
      ["1", "x\ry"],
    ]);
  });

  test("an unclosed quote names the line where the field opens, after quoted line breaks", () => {
    const err = failure('"a","b"\n"1","two\nlines"\n"2","never closed\nand more\n');
    expect([err.code, err.line]).toEqual(["CSV_QUOTE_NOT_CLOSED", 4]);
    expect(err.message).toBe("CSV_QUOTE_NOT_CLOSED: a quoted field opened here is never closed");
  });

  test("a quote inside a quoted field that is neither doubled nor closing is an error on its line", () => {
    const err = failure('"a","b"\r\n"1","2"\r\n"3","x"y"\r\n"4","5"\r\n');
    expect([err.code, err.line]).toEqual(["CSV_INVALID_CLOSING_QUOTE", 3]);
  });

  test("a record with another field count than the header names its first line", () => {
    const err = failure('"a","b"\n\n"1","multi\nline"\n"2"\n');
    expect([err.code, err.line]).toEqual(["CSV_RECORD_INCONSISTENT_FIELDS_LENGTH", 5]);
    expect(err.message).toBe("CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: the record has 1 field(s), the header 2");
    // Found the same way when the bad record arrives in a later parse.
    const many = '"a","b"\n' + '"1","2"\n'.repeat(20000) + '"3","4","5"\n';
    const late = failure(many, 64 * 1024);
    expect([late.code, late.line]).toEqual(["CSV_RECORD_INCONSISTENT_FIELDS_LENGTH", 20002]);
  });

  test("a never-closed quote stops at the record size limit instead of buffering the whole file", () => {
    const splitter = new CsvRecordSplitter({ minParseChars: 1, maxRecordChars: 1000 });
    splitter.write('"a","b"\n"1","2"\n"open');
    let thrown: unknown;
    try {
      for (let i = 0; i < 100; i++) splitter.write("x".repeat(100) + "\n");
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CsvSyntaxError);
    expect([(thrown as CsvSyntaxError).code, (thrown as CsvSyntaxError).line]).toEqual(["CSV_MAX_RECORD_SIZE", 3]);
  });

  test("documented leniency: a quote inside an unquoted field is a character; blanks after a closing quote go", () => {
    expect(records([Buffer.from('a,b\nab"c,d\n"x" ,y\n')])).toEqual([
      ["a", "b"],
      ['ab"c', "d"],
      ["x", "y"],
    ]);
  });
});
