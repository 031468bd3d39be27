import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { arrayElementOffsets, jsonSyntaxError, lineStarts, locateJsonOffset, positionAt } from "../policies/json-position";
import { PlanInputError, readPlanFile, stackNameFromPath } from "../policies/plan-input";
import { loadWaiverFile } from "../policies/waivers";
import { ROOT } from "./policies-fixtures";

/** Reading plan files and waiver files: what is refused, and the file, line and field each message names. */

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "plan-input-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function write(name: string, data: string | Buffer): string {
  const file = path.join(work, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
  return file;
}

function issuesOf(fn: () => unknown): PlanInputError["issues"] {
  try {
    fn();
  } catch (err) {
    if (err instanceof PlanInputError) return err.issues;
    throw err;
  }
  throw new Error("expected a PlanInputError");
}

describe("JSON positions", () => {
  const text = '{\n  "a": [1, {"b": "x\\"y"}],\n  "resource_changes": [\n    {"address": "x"},\n    {"address": "y"}\n  ]\n}\n';
  const starts = lineStarts(text);

  it("find fields and array elements by line and column", () => {
    expect(positionAt(starts, locateJsonOffset(text, ["a", 1, "b"]))).toEqual({ line: 2, column: 18 });
    expect(arrayElementOffsets(text, ["resource_changes"]).map((o) => positionAt(starts, o))).toEqual([
      { line: 4, column: 5 },
      { line: 5, column: 5 },
    ]);
    // A path that leaves the document points at its deepest existing parent.
    expect(positionAt(starts, locateJsonOffset(text, ["a", 1, "missing"]))).toEqual({ line: 2, column: 12 });
    expect(arrayElementOffsets(text, ["a", 0])).toEqual([]);
  });

  it("agree with JSON.parse on what is valid, and say where it is not", () => {
    for (const valid of [text, "[]", "{}", ' "s" ', "-1.5e+3", '{"a":{"b":[[],{}]}}', "[null,true,false]"]) {
      expect(() => JSON.parse(valid)).not.toThrow();
      expect(jsonSyntaxError(valid)).toBeNull();
    }
    const cases: Array<[string, number, string]> = [
      ['{\n  "a": }', 9, "expected a value"],
      ['{"a": 1,}', 8, "expected a key in double quotes"],
      ['{"a" 1}', 5, 'expected ":"'],
      ["[1 2]", 3, 'expected "," or "]"'],
      ['{"a": "x\ny"}', 6, "expected a valid string"],
      ["[1]]", 3, "expected the end of the file"],
      ['{"a": [1, 2}', 11, 'expected "," or "]"'],
      ["", 0, "expected a value"],
      ["[01]", 2, 'expected "," or "]"'],
    ];
    for (const [invalid, offset, message] of cases) {
      expect(() => JSON.parse(invalid)).toThrow();
      const err = jsonSyntaxError(invalid);
      expect(err?.offset).toBe(offset);
      expect(err?.message).toContain(message);
    }
  });
});

describe("readPlanFile", () => {
  const plan = { format_version: "1.2", terraform_version: "1.10.5", planned_values: {}, resource_changes: [] };

  it("reads a plan and takes its stack from the cdktf.out path or the file name", () => {
    const file = write("cdktf.out/stacks/acme-prod-reporting/plan.json", JSON.stringify(plan));
    expect(readPlanFile(file)).toMatchObject({ file, plan });
    expect(stackNameFromPath(file)).toBe("acme-prod-reporting");
    expect(stackNameFromPath("plans/acme-prod-analytics.tfplan.json")).toBe("acme-prod-analytics");
    expect(stackNameFromPath("acme-prod-organization.json")).toBe("acme-prod-organization");
    expect(stackNameFromPath("stacks/plan.json")).toBe("plan");
  });

  it("refuses a binary plan, a UTF-16 file, a missing file and a folder with what to run", () => {
    const binary = write("tfplan", Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(20)]));
    expect(issuesOf(() => readPlanFile(binary))[0].message).toBe(
      "is a binary plan file (what `terraform plan -out` writes): convert it with `terraform show -json tfplan > plan.json` and check plan.json",
    );
    const utf16 = write("plan16.json", Buffer.from("\ufeff{}", "utf16le"));
    expect(issuesOf(() => readPlanFile(utf16))[0].message).toMatch(/^is UTF-16 text/);
    expect(issuesOf(() => readPlanFile(path.join(work, "none.json")))[0].message).toMatch(/^no such file: give the JSON written by `terraform show -json/);
    expect(issuesOf(() => readPlanFile(work))[0].message).toMatch(/^is a folder, not a plan file/);
  });

  it("names the line and column of a syntax error and of a field that does not fit", () => {
    const broken = write("broken.json", '{\n  "format_version": "1.2",\n  "resource_changes": [\n    {"address": "a.b",}\n  ]\n}\n');
    expect(issuesOf(() => readPlanFile(broken))).toEqual([
      {
        file: broken,
        path: "",
        message: 'is not valid JSON (expected a key in double quotes, found "}\\n  ]\\n}\\n"): write the plan with `terraform show -json <saved plan> > plan.json`',
        line: 4,
        column: 23,
      },
    ]);
    const wrong = write("wrong.json", JSON.stringify({ ...plan, resource_changes: [{ address: "a.b", mode: "managed", type: "a", name: "b", change: { actions: "delete" } }] }, null, 2));
    const [issue] = issuesOf(() => readPlanFile(wrong));
    expect(issue).toMatchObject({ path: "resource_changes[0].change.actions", line: 12, column: 20 });
    expect(issue.message).toMatch(/^Invalid input: expected array, received string; got "delete": write the plan with `terraform show -json <saved plan> > plan.json`, unedited$/);
  });
});

describe("loadWaiverFile", () => {
  it("reads waivers with their lines, the stack defaulting to every stack", () => {
    const file = write(
      "waivers.yaml",
      ["# plan-waivers.yaml", "waivers:", "  - rule: BAI201", "    address: aws_s3_bucket.reports-bucket_*", "    owner: platform-team", "    reason: renamed (CHG-1)", "    expires: 2026-06-30", ""].join("\n"),
    );
    expect(loadWaiverFile(file)).toEqual([
      { index: 0, file, line: 3, column: 5, rule: "BAI201", address: "aws_s3_bucket.reports-bucket_*", stack: "*", owner: "platform-team", reason: "renamed (CHG-1)", expires: "2026-06-30" },
    ]);
    expect(loadWaiverFile(write("empty.yaml", "# nothing waived\n"))).toEqual([]);
  });

  it("refuses entries without an owner, with an unknown field or a date that is not a day, at their lines", () => {
    const file = write(
      "bad.yaml",
      [
        "waivers:",
        "  - rule: BAI201",
        "    address: '*'",
        "    reason: r",
        "    expires: 2026-06-30",
        "  - rule: BAI202",
        "    address: '*'",
        "    owner: o",
        "    reason: r",
        "    expires: 30.06.2026",
        "    ticket: CHG-2",
        "",
      ].join("\n"),
    );
    const issues = issuesOf(() => loadWaiverFile(file));
    expect(issues.map((i) => [i.path, i.line, i.message])).toEqual([
      ["waivers[0].owner", 2, "required field missing: add `owner:`"],
      ["waivers[1].expires", 10, 'expires must be a calendar day written YYYY-MM-DD, e.g. 2026-07-31; got "30.06.2026"'],
      ["waivers[1]", 11, "unknown field(s) ticket: a waiver has rule, address, stack (optional), owner, reason and expires"],
    ]);
    expect(String(new PlanInputError(issues).message.split("\n")[0])).toBe(`${file}:2:5: waivers[0].owner: required field missing: add \`owner:\``);
  });

  it("refuses YAML that is not a waiver list, naming the line", () => {
    const issues = issuesOf(() => loadWaiverFile(write("syntax.yaml", "waivers:\n  - rule: [\n")));
    expect(issues[0].message).toMatch(/^YAML syntax error/);
    expect(issues[0].line).toBeGreaterThan(0);
    expect(issuesOf(() => loadWaiverFile(write("list.yaml", "- rule: BAI201\n")))[0].message).toMatch(/expected object/);
  });
});

test("the plan guard's module loads without cdktf (scripts require it on its own)", () => {
  const script = `
    const Module = require("node:module");
    const load = Module._load;
    Module._load = function (request, ...rest) {
      if (/^(cdktf|constructs|@cdktf\\/)/.test(request)) throw new Error("loaded " + request);
      return load.call(this, request, ...rest);
    };
    const { checkPlans } = require(${JSON.stringify(path.join(ROOT, "dist", "policies", "plan-check.js"))});
    const r = checkPlans([{ file: "x.json", plan: { format_version: "1.2", terraform_version: "1.10.5", resource_changes: [
      { address: "aws_kms_key.k", mode: "managed", type: "aws_kms_key", name: "k", change: { actions: ["delete"], before: { description: "key" }, after: null } } ] } }], { today: "2026-06-02" });
    process.stdout.write(JSON.stringify([r.passed, r.denied.map((f) => f.id)]));
  `;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" }, timeout: 60_000 });
  expect(r.stderr).toBe("");
  expect(r.stdout).toBe('[false,["BAI206"]]');
});
