import fc from "fast-check";
import { parseReportKey } from "../reports/report-key";
import { reportTablesForPlans } from "../reports/report-tables";
import { allTemplateSpecs } from "../reports/templates";

const TABLES = reportTablesForPlans([
  ...allTemplateSpecs().map((s) => ({ template: s.template, keyPrefix: s.defaultKeyPrefix })),
  { template: "COPY_JOB_REPORT", keyPrefix: "org/reports/copy" },
]);

const pad = (n: number) => String(n).padStart(2, "0");

const validKey = fc
  .record({
    table: fc.constantFrom(...TABLES),
    scope: fc.oneof(fc.constant("crossaccount"), fc.stringMatching(/^\d{12}$/)),
    region: fc.constantFrom("crossregion", "us-east-1", "eu-central-2", "ap-southeast-4", "us-gov-west-1"),
    date: fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2040-12-31T00:00:00Z"), noInvalidDate: true }),
    plan: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,40}$/),
    part: fc.integer({ min: 1, max: 999 }),
    backup: fc.boolean(),
    encodeColons: fc.boolean(),
  })
  .map((r) => {
    const y = String(r.date.getUTCFullYear());
    const m = pad(r.date.getUTCMonth() + 1);
    const d = pad(r.date.getUTCDate());
    const spec = allTemplateSpecs().find((s) => s.template === r.table.template)!;
    const colon = r.encodeColons ? "%3A" : ":";
    const file = `${spec.fileNamePrefix}${r.plan}_${y}-${m}-${d}t00${colon}00${colon}00z_${y}-${m}-${d}t00${colon}00${colon}00z_${r.part}.csv`;
    const key = [r.table.keyPrefix, ...(r.backup ? ["Backup"] : []), r.scope, r.region, y, m, d, r.plan, file].join("/");
    return { key, expected: r, values: [r.scope, r.region, y, m, d, r.plan] };
  });

const mutation = fc.oneof(
  // delete, insert or replace one character, or cut the key
  fc.record({ op: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), ch: fc.constantFrom("/", "%", "%C3", "%2F", ".", "a", "9", " ", "+") }),
  fc.record({ op: fc.constant("replace" as const), at: fc.nat(), ch: fc.string({ minLength: 1, maxLength: 3 }) }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
);

describe("parseReportKey properties", () => {
  test("arbitrary strings never throw and always return a decision", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.webPath()), (key) => {
        const parsed = parseReportKey(key, TABLES);
        expect(typeof parsed.ok).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });

  test("valid generated keys round-trip their partition values", () => {
    fc.assert(
      fc.property(validKey, ({ key, expected, values }) => {
        const parsed = parseReportKey(key, TABLES);
        if (!parsed.ok) throw new Error(`${key}: ${parsed.reason} ${parsed.message}`);
        expect([...parsed.partitionValues]).toEqual(values);
        expect(parsed.template).toBe(expected.table.template);
        expect(parsed.tableName).toBe(expected.table.tableName);
        expect(parsed.part).toBe(expected.part);
        expect(parsed.hasBackupSegment).toBe(expected.backup);
        expect(parsed.locationKey.endsWith(`/${expected.plan}/`)).toBe(true);
        expect(parsed.key).toBe(parsed.locationKey + parsed.fileName);
      }),
      { numRuns: 1000 },
    );
  });

  test("mutated valid keys never throw; accepted ones are consistent", () => {
    fc.assert(
      fc.property(validKey, fc.array(mutation, { minLength: 1, maxLength: 4 }), ({ key }, mutations) => {
        let k = key;
        for (const mu of mutations) {
          const at = k.length === 0 ? 0 : mu.at % k.length;
          if (mu.op === "delete") k = k.slice(0, at) + k.slice(at + 1);
          else if (mu.op === "insert") k = k.slice(0, at) + mu.ch + k.slice(at);
          else if (mu.op === "replace") k = k.slice(0, at) + mu.ch + k.slice(at + 1);
          else k = k.slice(0, at);
        }
        const parsed = parseReportKey(k, TABLES);
        if (parsed.ok) {
          expect(parsed.partitionValues).toHaveLength(6);
          expect(parsed.partitionValues.every((v) => v.length > 0 && !v.includes("/"))).toBe(true);
          expect(parsed.key).toBe(parsed.locationKey + parsed.fileName);
          expect(parsed.locationKey.endsWith("/")).toBe(true);
        } else {
          expect(parsed.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
