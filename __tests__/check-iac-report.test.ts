import { readFileSync } from "node:fs";
import path from "node:path";
import {
  formatSummary,
  parseCheckovJson,
  parseSkips,
  scannableTerraformJson,
  staleSkips,
  type CheckovFailure,
} from "../scripts/checkov-report";

/** The pure half of `npm run check:iac` (the checkov run itself is a `.ci/run` step). */

describe("parseSkips", () => {
  it("takes each id's reason from the comment lines above it or the comment after it", () => {
    const { skips, errors } = parseSkips(
      [
        "framework: [terraform_json]",
        "skip-check:",
        "  # first reason,",
        "  # on two lines",
        "  - CKV_AWS_18",
        "  # second reason",
        "  - CKV2_AWS_62",
        "  - CKV_AWS_50 # third reason",
        "",
      ].join("\n"),
      ".checkov.yaml",
    );
    expect(errors).toEqual([]);
    expect(skips).toEqual([
      { id: "CKV_AWS_18", reason: "first reason, on two lines", line: 5 },
      { id: "CKV2_AWS_62", reason: "second reason", line: 7 },
      { id: "CKV_AWS_50", reason: "third reason", line: 8 },
    ]);
  });

  it("refuses an id without a reason, a repeated id and what is not a check id, naming file and line", () => {
    const { skips, errors } = parseSkips(
      ["skip-check:", "  # why", "  - CKV_AWS_18", "  - CKV_AWS_50", "  - CKV_AWS_18 # again", "  - LOW # severities are not ids", ""].join("\n"),
      "c.yaml",
    );
    expect(skips.map((s) => s.id)).toEqual(["CKV_AWS_18"]);
    expect(errors).toEqual([
      'c.yaml:4: skip-check: CKV_AWS_50 has no reason: write the reason as a comment line above "- CKV_AWS_50"',
      "c.yaml:5: skip-check: CKV_AWS_18 is listed twice",
      "c.yaml:6: skip-check: LOW is not a checkov check id (CKV_AWS_18)",
    ]);
  });

  it("accepts a config without skips and refuses a skip-check that is not a list", () => {
    expect(parseSkips("framework: [terraform_json]\n", "c.yaml")).toEqual({ skips: [], errors: [] });
    expect(parseSkips("skip-check: CKV_AWS_18\n", "c.yaml").errors).toEqual([
      'c.yaml: skip-check: expected a list of check ids, each with its reason as a comment',
    ]);
  });

  it("reads the repository's .checkov.yaml: every skip has a reason", () => {
    const file = path.join(__dirname, "..", ".checkov.yaml");
    const { skips, errors } = parseSkips(readFileSync(file, "utf8"), ".checkov.yaml");
    expect(errors).toEqual([]);
    expect(skips.length).toBeGreaterThan(0);
    for (const s of skips) expect(s.reason.length).toBeGreaterThan(40);
  });
});

const report = (failed: Array<[string, string, string]>) => ({
  check_type: "terraform_json",
  results: {
    failed_checks: failed.map(([check_id, file_path, resource]) => ({ check_id, check_name: `name of ${check_id}`, file_path, resource })),
  },
  summary: { passed: 7, failed: failed.length, skipped: 0, parsing_errors: 0, resource_count: 0, checkov_version: "3.3.30" },
});

describe("parseCheckovJson", () => {
  it("reads one report, a list of reports and the bare summary of an empty scan", () => {
    const one = parseCheckovJson(JSON.stringify(report([["CKV_AWS_1", "/s/cdk.tf.json", "aws_s3_bucket.b"]])));
    expect(one).toEqual({
      version: "3.3.30",
      passed: 7,
      parsingErrors: 0,
      failed: [{ checkId: "CKV_AWS_1", checkName: "name of CKV_AWS_1", file: "/s/cdk.tf.json", resource: "aws_s3_bucket.b" }],
    });
    const two = parseCheckovJson(JSON.stringify([report([["CKV_AWS_1", "/a", "r"]]), report([["CKV_AWS_2", "/b", "r"]])]));
    expect([two.passed, two.failed.map((f) => f.checkId)]).toEqual([14, ["CKV_AWS_1", "CKV_AWS_2"]]);
    const empty = parseCheckovJson(JSON.stringify({ passed: 0, failed: 0, skipped: 0, parsing_errors: 1, resource_count: 0, checkov_version: "3.3.30" }));
    expect(empty).toEqual({ version: "3.3.30", passed: 0, failed: [], parsingErrors: 1 });
  });

  it("throws on output that is not JSON", () => {
    expect(() => parseCheckovJson("Traceback (most recent call last):")).toThrow(SyntaxError);
  });
});

describe("scannableTerraformJson", () => {
  it("takes out the state-only blocks checkov cannot parse and leaves everything else as it is", () => {
    const doc = {
      resource: { aws_organizations_organization: { organization: { feature_set: "ALL" } } },
      import: [{ id: "o-abc123def4", to: "aws_organizations_organization.organization" }],
      moved: [{ from: "a.b", to: "a.c" }],
      provider: { aws: [{ region: "us-east-1" }] },
    };
    expect(scannableTerraformJson(doc)).toEqual({
      doc: { resource: doc.resource, provider: doc.provider },
      removed: ["import", "moved"],
    });
    expect(doc.import).toHaveLength(1); // the input is not changed
    expect(scannableTerraformJson({ resource: {} })).toEqual({ doc: { resource: {} }, removed: [] });
  });
});

describe("formatSummary", () => {
  const failure = (checkId: string, resource: string): CheckovFailure => ({
    checkId,
    checkName: `name of ${checkId}`,
    file: "/acme-analytics/cdk.tf.json",
    resource,
  });
  const skips = [
    { id: "CKV_AWS_18", reason: "log targets", line: 3 },
    { id: "CKV_AWS_50", reason: "no tracing", line: 5 },
  ];

  it("groups failures by check id, lists each skip's reason and resources, and names stale skips", () => {
    const result = { version: "3.3.30", passed: 9, parsingErrors: 0, failed: [failure("CKV_AWS_2", "a"), failure("CKV_AWS_1", "b"), failure("CKV_AWS_2", "c")] };
    const text = formatSummary(result, skips, [failure("CKV_AWS_18", "logs")], 4, ".checkov.yaml");
    expect(text.split("\n")).toEqual([
      "checkov 3.3.30 on 4 stack file(s): 9 passed, 3 failed (2 check id(s)), 2 check id(s) skipped in .checkov.yaml",
      "FAILED CKV_AWS_1: name of CKV_AWS_1",
      "  acme-analytics/cdk.tf.json: b",
      "FAILED CKV_AWS_2: name of CKV_AWS_2",
      "  acme-analytics/cdk.tf.json: a",
      "  acme-analytics/cdk.tf.json: c",
      "fix the construct, or, only where the check cannot apply, add the id with its reason to skip-check in .checkov.yaml",
      "skipped (.checkov.yaml):",
      "  CKV_AWS_18: log targets",
      "    acme-analytics/cdk.tf.json: logs",
      "  CKV_AWS_50: no tracing",
      "STALE SKIP CKV_AWS_50 (.checkov.yaml:5): the check fails on no resource now; remove the skip",
      "",
    ]);
    expect(staleSkips(skips, [failure("CKV_AWS_18", "logs")])).toEqual([skips[1]]);
  });

  it("says so when checkov could not parse a file", () => {
    const text = formatSummary({ version: "3.3.30", passed: 0, parsingErrors: 2, failed: [] }, [], [], 1, "c.yaml");
    expect(text).toBe("checkov 3.3.30 on 1 stack file(s): 0 passed, 0 failed (0 check id(s)), 0 check id(s) skipped in c.yaml, 2 file(s) checkov could not parse\n");
  });
});
