import path from "node:path";
import { formatViolations } from "../policies/format";
import { buildTerraformInput } from "../policies/input";
import { ruleTitles } from "../policies/rule-titles";
import type { SarifLog } from "../policies/sarif";
import { toViolation, type Violation } from "../policies/violation";

/** Output formats and input building, independent of the compiled policies. */

const cwdFile = path.join(process.cwd(), "configs", "acme.yaml");
const vs: Violation[] = [
  { id: "BAI006", landingZone: "acme", file: cwdFile, path: "analytics.databaseName", message: "bad db", fix: "rename it" },
  { id: "BAI001", landingZone: "acme", file: cwdFile, path: "reports.formats", message: "not CSV", fix: "use CSV" },
  { id: "BAI001", landingZone: "acme", file: "<embedded example>", path: "reports.formats", message: "not CSV", fix: "use CSV" },
  { id: "BAI101", file: "stacks/s/cdk.tf.json", path: "resource.aws_s3_bucket.b", message: "no SSE", fix: "add SSE" },
];
const locate = (file: string, fieldPath: string) =>
  file === cwdFile ? { line: fieldPath === "reports.formats" ? 7 : 12, column: 3 } : null;

describe("formatViolations", () => {
  it("sorts and prints text with positions where known", () => {
    expect(formatViolations(vs, "text", locate)).toBe(
      [
        `${cwdFile}:7:3: BAI001 [acme] reports.formats: not CSV`,
        "    fix: use CSV",
        `${cwdFile}:12:3: BAI006 [acme] analytics.databaseName: bad db`,
        "    fix: rename it",
        "<embedded example>: BAI001 [acme] reports.formats: not CSV",
        "    fix: use CSV",
        "stacks/s/cdk.tf.json: BAI101 resource.aws_s3_bucket.b: no SSE",
        "    fix: add SSE",
        "policy gate: 4 violations",
        "",
      ].join("\n"),
    );
    expect(formatViolations([], "text")).toBe("policy gate: no violations\n");
  });

  it("prints JSON as a sorted array of violations", () => {
    const parsed = JSON.parse(formatViolations(vs, "json")) as Violation[];
    expect(parsed.map((v) => [v.id, v.file])).toEqual([
      ["BAI001", cwdFile],
      ["BAI006", cwdFile],
      ["BAI001", "<embedded example>"],
      ["BAI101", "stacks/s/cdk.tf.json"],
    ]);
    expect(parsed[3]).toEqual(vs[3]);
  });

  it("prints SARIF 2.1.0 with relative URIs, regions and one rule per id", () => {
    const sarif = JSON.parse(formatViolations(vs, "sarif", locate)) as SarifLog;
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r) => [r.id, r.shortDescription.text, r.help.text])).toEqual([
      ["BAI001", "Organization report plans deliver CSV only", "use CSV"],
      ["BAI006", "The Glue database name has only lower-case letters, digits and underscores", "rename it"],
      ["BAI101", "S3 buckets have server-side encryption", "add SSE"],
    ]);
    expect(run.results.map((r) => [r.ruleId, r.ruleIndex])).toEqual([
      ["BAI001", 0],
      ["BAI006", 1],
      ["BAI001", 0],
      ["BAI101", 2],
    ]);
    // The embedded example has no file: only a logical location.
    expect(run.results[2].locations[0].physicalLocation).toBeUndefined();
    expect(run.results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "configs/acme.yaml" },
      region: { startLine: 7, startColumn: 3 },
    });
    expect(run.results[3].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "stacks/s/cdk.tf.json" } });
    expect(run.results[1].properties).toEqual({ landingZone: "acme", fieldPath: "analytics.databaseName", fix: "rename it" });
  });
});

describe("ruleTitles", () => {
  it("has a title for every rule id in the Rego sources", () => {
    const titles = ruleTitles();
    const ids = Object.keys(titles).sort();
    expect(ids).toEqual([
      "BAI000",
      ...Array.from({ length: 28 }, (_, i) => `BAI0${String(i + 1).padStart(2, "0")}`),
      ...["BAI030", "BAI031", "BAI032", "BAI033", "BAI035", "BAI036"],
      "BAI045",
      "BAI046",
      "BAI047",
      ...["BAI048", "BAI049", "BAI050", "BAI051", "BAI052", "BAI053", "BAI054"],
      // Central job alerts (alerts.jobs).
      ...["BAI055", "BAI056", "BAI057", "BAI058"],
      ...Array.from({ length: 19 }, (_, i) => `BAI1${String(i + 1).padStart(2, "0")}`),
      ...Array.from({ length: 8 }, (_, i) => `BAI12${i}`),
      ...Array.from({ length: 7 }, (_, i) => `BAI13${i}`),
      "BAI137",
      "BAI138",
      "BAI139",
      "BAI140",
      // The plan guard (policies/plan).
      ...Array.from({ length: 9 }, (_, i) => `BAI20${i + 1}`),
      ...Array.from({ length: 6 }, (_, i) => `BAI21${i}`),
      ...Array.from({ length: 6 }, (_, i) => `BAI22${i}`),
      "BAI228",
      "BAI229",
    ]);
  });
});

describe("toViolation", () => {
  it("accepts well-formed records and rejects others", () => {
    expect(toViolation({ id: "X", path: "p", message: "m", fix: "f" })).toEqual({ id: "X", path: "p", message: "m", fix: "f" });
    expect(() => toViolation({ id: "X", path: "p", message: "m" })).toThrow(/malformed/);
    expect(() => toViolation(["X"])).toThrow(/not an object/);
    expect(() => toViolation({ id: "X", path: "p", message: "m", fix: "f", file: 3 })).toThrow(/malformed/);
  });
});

describe("buildTerraformInput", () => {
  it("parses policy JSON strings at any depth and leaves other strings alone", () => {
    const policy = JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "${aws_s3_bucket.b.arn}/*" }] });
    const input = buildTerraformInput({
      s: {
        resource: {
          aws_iam_role_policy: { p: { policy, role: "r" } },
          aws_iam_role: { r: { assume_role_policy: policy, inline_policy: [{ name: "x", policy }] } },
          aws_sqs_queue: { q: { policy: "${data.x.json}", name: "{not json" } },
        },
      },
    });
    const res = (input.stacks.s as { resource: Record<string, Record<string, Record<string, unknown>>> }).resource;
    expect(res.aws_iam_role_policy.p.policy).toEqual(JSON.parse(policy));
    expect(res.aws_iam_role.r.assume_role_policy).toEqual(JSON.parse(policy));
    expect((res.aws_iam_role.r.inline_policy as Array<{ policy: unknown }>)[0].policy).toEqual(JSON.parse(policy));
    expect(res.aws_sqs_queue.q.policy).toBe("${data.x.json}");
    expect(res.aws_sqs_queue.q.name).toBe("{not json");
  });
});
