import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { runSynthCommand } from "../app/synth-command";
import { loadLandingZones } from "../config/loader";
import { register, runValidateCommand, SCHEMA_ISSUE_ID, USAGE_EXIT_CODE } from "../cli/commands/validate";
import type { SarifLog } from "../policies/sarif";
import type { Violation } from "../policies/violation";
import { EXAMPLE_FILE } from "./policies-fixtures";

/** `backup-audit validate`: exit codes, and the text / JSON / SARIF reports with real line numbers. */

const example = readFileSync(EXAMPLE_FILE, "utf8");
let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "validate-test-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function writeConfig(name: string, text: string): string {
  const file = path.join(work, name);
  writeFileSync(file, text);
  return file;
}

/** 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split("\n").findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in text`);
  return i + 1;
}

async function run(configs: string[], format?: "text" | "json" | "sarif", output?: string) {
  let stdout = "";
  let stderr = "";
  const code = await runValidateCommand(
    { configs, format, output },
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
  );
  return { code, stdout, stderr };
}

// The example, broken twice: JSON for organization reports (BAI001) and a hyphenated database (BAI006).
const broken = example
  .replace("  formats: [CSV]", "  formats: [CSV, JSON]")
  .replace("databaseName: backup_reports", "databaseName: backup-reports");

describe("backup-audit validate", () => {
  it("exits 0 with a clean report for the example", async () => {
    const r = await run([EXAMPLE_FILE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("policy gate: no violations\n");
  });

  it("exits 1 and prints file:line:column, id, path, message and fix as text", async () => {
    const file = writeConfig("acme.yaml", broken);
    const r = await run([file]);
    expect(r.code).toBe(1);
    const formatsLine = lineOf(broken, "  formats: [CSV, JSON]");
    const dbLine = lineOf(broken, "databaseName:");
    expect(r.stdout).toContain(`${file}:${formatsLine}:3: BAI001 [acme-prod] reports.formats: report plans acme_prod_backup_job_report,`);
    expect(r.stdout).toContain(`${file}:${dbLine}:3: BAI006 [acme-prod] analytics.databaseName: Glue database name "backup-reports"`);
    expect(r.stdout).toContain("    fix: set reports.formats to [CSV]");
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("policy gate: 2 violations");
  });

  it("writes JSON violations", async () => {
    const file = writeConfig("acme.yaml", broken);
    const r = await run([file], "json");
    expect(r.code).toBe(1);
    const vs = JSON.parse(r.stdout) as Violation[];
    expect(vs.map((v) => [v.id, v.path, v.file, v.landingZone])).toEqual([
      ["BAI001", "reports.formats", file, "acme-prod"],
      ["BAI006", "analytics.databaseName", file, "acme-prod"],
    ]);
  });

  it("writes SARIF 2.1.0 with one rule per id and the fields' lines", async () => {
    const file = writeConfig("acme.yaml", broken);
    const out = path.join(work, "out", "results.sarif");
    const r = await run([file], "sarif", out);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("2 policy violation(s)");
    const sarif = JSON.parse(readFileSync(out, "utf8")) as SarifLog;
    expect(sarif.version).toBe("2.1.0");
    const [run0] = sarif.runs;
    expect(run0.tool.driver.rules.map((rule) => rule.id)).toEqual(["BAI001", "BAI006"]);
    expect(run0.tool.driver.rules[0].help.text).toBe("set reports.formats to [CSV] (JSON is only for single-account, single-Region reports)");
    const located = run0.results.map((res) => [
      res.ruleId,
      res.ruleIndex,
      res.locations[0].physicalLocation?.region?.startLine,
      res.locations[0].physicalLocation?.region?.startColumn,
      res.locations[0].logicalLocations[0].fullyQualifiedName,
    ]);
    expect(located).toEqual([
      ["BAI001", 0, lineOf(broken, "  formats: [CSV, JSON]"), 3, "reports.formats"],
      ["BAI006", 1, lineOf(broken, "databaseName:"), 3, "analytics.databaseName"],
    ]);
    // Outside the working directory the URI is a file URI; inside it, relative (code scanning needs that).
    expect(run0.results[0].locations[0].physicalLocation?.artifactLocation.uri).toBe(`file://${file}`);
  });

  it("reports a defaulted field at its nearest parent", async () => {
    // No trustedAccess line: the default ([]) fails BAI002, located at `organization:`.
    const text = example.replace("  trustedAccess: [backup.amazonaws.com, cloudtrail.amazonaws.com, member.org.stacksets.cloudformation.amazonaws.com]\n", "");
    const file = writeConfig("acme.yaml", text);
    const r = await run([file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}:${lineOf(text, "organization:")}:1: BAI002 [acme-prod] organization.trustedAccess:`);
  });

  it("locates fields inside lists (frameworks[i].controls[j])", async () => {
    const text = example.replace(
      /^  frameworks: .*\n/m,
      [
        "  frameworks:",
        "    - name: baseline",
        "      controls:",
        "        - name: BACKUP_RECOVERY_POINT_ENCRYPTED",
        "        - name: BACKUP_VAULT_ENCRYPTED",
        "",
      ].join("\n"),
    );
    const file = writeConfig("fw.yaml", text);
    const out = path.join(work, "fw.sarif");
    const r = await run([file], "sarif", out);
    expect(r.code).toBe(1);
    const res = (JSON.parse(readFileSync(out, "utf8")) as SarifLog).runs[0].results;
    expect(res.map((x) => [x.ruleId, x.properties.fieldPath, x.locations[0].physicalLocation?.region])).toEqual([
      ["BAI021", "reports.frameworks[0].controls[1].name", { startLine: lineOf(text, "BACKUP_VAULT_ENCRYPTED"), startColumn: 11 }],
    ]);
  });

  it("warns on stderr, at the field's parent, when the alarms have no subscriber; exit 0, the report unchanged", async () => {
    // The tests' landing zone has analytics and no alerts.emails.
    const file = writeConfig("quiet.yaml", example);
    for (const format of ["text", "json"] as const) {
      const r = await run([file], format);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(format === "text" ? "policy gate: no violations\n" : "[]\n");
      expect(r.stderr.split("\n").filter((l) => l.startsWith("warning: "))).toEqual([
        `warning: ${file}:${lineOf(example, "name: acme-prod")}:1: BAI054 [acme-prod] alerts.emails: alerts.emails is empty: every failure alarm of landing zone acme-prod (dead-letter queues, the partitioner's errors, report header drift) notifies an SNS topic with no subscriber, so nobody hears it`,
      ]);
      expect(r.stderr).toContain("    fix: list the addresses to notify under alerts.emails");
    }
    const subscribed = writeConfig("heard.yaml", `${example}alerts:\n  emails: [ops@example.com]\n`);
    expect(await run([subscribed])).toEqual({ code: 0, stdout: "policy gate: no violations\n", stderr: "" });
  });

  it("refuses control parameters AWS would reject at apply, each at its line, in validate and synth alike", async () => {
    const text = example.replace(
      /^  frameworks: .*\n/m,
      [
        "  frameworks:",
        "    - name: baseline",
        "      controls:",
        "        - name: BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
        "          parameters:",
        "            requiredFrequencyUnit: fortnights",
        '            requiredRetentionDays: "35d"',
        "        - name: BACKUP_RECOVERY_POINT_ENCRYPTED",
        "          parameters:",
        '            requiredRetentionDays: "35"',
        "        - name: BACKUP_LAST_RECOVERY_POINT_CREATED",
        "          parameters:",
        "            recoveryPointAgeUnit: hours",
        "            recoveryPointAgeValue: 800",
        "        - name: RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
        "          parameters: { maxRestoreTime: 7.5 }",
        "        - name: BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
        "          parameters: { requiredRetentionDays: 35 }",
        "",
      ].join("\n"),
    );
    const file = writeConfig("params.yaml", text);
    const r = await run([file]);
    expect(r.code).toBe(1);
    const controls = "reports.frameworks[0].controls";
    expect(r.stdout.split("\n").filter((l) => /: BAI04[89] /.test(l))).toEqual([
      `${file}:${lineOf(text, "requiredRetentionDays: \"35\"")}:13: BAI048 [acme-prod] ${controls}[1].parameters.requiredRetentionDays: BACKUP_RECOVERY_POINT_ENCRYPTED in framework baseline takes no input parameters, but parameters lists requiredRetentionDays`,
      `${file}:${lineOf(text, "fortnights")}:13: BAI049 [acme-prod] ${controls}[0].parameters.requiredFrequencyUnit: BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK in framework baseline: requiredFrequencyUnit is "fortnights", which is not a unit AWS accepts: days or hours`,
      `${file}:${lineOf(text, "35d")}:13: BAI049 [acme-prod] ${controls}[0].parameters.requiredRetentionDays: BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK in framework baseline: requiredRetentionDays is "35d", not a whole number: AWS takes a whole number of days from 1`,
      `${file}:${lineOf(text, "800")}:13: BAI049 [acme-prod] ${controls}[2].parameters.recoveryPointAgeValue: BACKUP_LAST_RECOVERY_POINT_CREATED in framework baseline: recoveryPointAgeValue is 800, out of range: AWS takes a whole number of hours from 1 to 744 with recoveryPointAgeUnit hours`,
      `${file}:${lineOf(text, "7.5")}:25: BAI049 [acme-prod] ${controls}[3].parameters.maxRestoreTime: RESTORE_TIME_FOR_RESOURCES_MEET_TARGET in framework baseline: maxRestoreTime is "7.5", not a whole number: AWS takes a whole number of minutes from 1`,
    ]);
    expect(r.stdout).toContain("    fix: set recoveryPointAgeValue to a whole number of hours from 1 to 744\n");
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("policy gate: 5 violations");
    // A YAML number is the parameter's text, as CreateFramework takes it: 35 passes as "35".
    const [lz] = await loadLandingZones([file]);
    expect(lz.reports.frameworks[0].controls[4].parameters).toEqual({ requiredRetentionDays: "35" });

    // Synth refuses the same config with the same lines, and writes nothing.
    let stdout = "";
    let stderr = "";
    const code = await runSynthCommand(
      { BACKUP_AUDIT_CONFIG: file, CDKTF_OUTDIR: path.join(work, "cdktf.out") },
      { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    );
    expect(code).toBe(1);
    expect(stderr).toContain(r.stdout);
    expect(existsSync(path.join(work, "cdktf.out"))).toBe(false);
  });

  it("exits 2 on a config that does not match the schema, with the issues in SARIF", async () => {
    const file = writeConfig("bad.yaml", example.replace('managementAccountId: "111122223333"', "managementAccountId: 12345"));
    const out = path.join(work, "bad.sarif");
    const r = await run([file], "sarif", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("invalid config");
    const sarif = JSON.parse(readFileSync(out, "utf8")) as SarifLog;
    expect(sarif.runs[0].results.map((res) => [res.ruleId, res.properties.fieldPath])).toEqual([[SCHEMA_ISSUE_ID, "managementAccountId"]]);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation?.region?.startLine).toBe(lineOf(example, "managementAccountId"));
  });

  it("exits 2 on a missing file", async () => {
    const r = await run([path.join(work, "missing.yaml")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no such file or folder");
  });

  it("checks several landing zones together (a plan name shared in one account)", async () => {
    const a = writeConfig("a.yaml", example);
    const b = writeConfig(
      "b.yaml",
      example
        .replace("name: acme-prod", "name: acme-dev")
        // Buckets, database, workgroup and framework of its own (BAI025, BAI026, BAI052): only the plan name is shared.
        .replace(/acme-backup-/g, "acme-dev-backup-")
        .replace("{ name: acme_backup_baseline, controls: [{ name: BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN }] }", "{ name: acme_dev_baseline, controls: [{ name: BACKUP_RECOVERY_POINT_ENCRYPTED }] }")
        .replace("databaseName: backup_reports", "databaseName: dev_reports")
        .replace("workgroup: backup-reports", "workgroup: dev-reports")
        .replace("  createServiceLinkedRole: false", "  createServiceLinkedRole: false\n  overrides:\n    BACKUP_JOB_REPORT:\n      name: acme_prod_backup_job_report"),
    );
    const r = await run([a, b], "json");
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as Violation[]).map((v) => [path.basename(v.file ?? ""), v.id, v.path])).toEqual([
      ["a.yaml", "BAI008", "name"],
      ["b.yaml", "BAI008", "reports.overrides.BACKUP_JOB_REPORT.name"],
    ]);
  });
});

/** `process.exit` replaced: commander's exit override calls it, the test reads the code. */
class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`exit(${code})`);
  }
}

/** Runs `backup-audit validate <args>` through commander in-process; returns the exit code and stderr. */
async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  const program = new Command()
    .name("backup-audit")
    .showHelpAfterError()
    .configureOutput({ writeErr: (t) => (stderr += t), writeOut: () => undefined });
  register(program, (code) => {
    throw new ExitCalled(code);
  });
  try {
    await program.parseAsync(["validate", ...args], { from: "user" });
  } catch (err) {
    if (err instanceof ExitCalled) return { code: err.code, stderr };
    throw err;
  }
  throw new Error(`validate ${args.join(" ")} did not exit`);
}

describe("backup-audit validate usage errors (exit 2, never 1: 1 means violations)", () => {
  it.each([
    [["--format", "bogus", "--config", EXAMPLE_FILE], "option '--format <format>' argument 'bogus' is invalid. Allowed choices are text, json, sarif."],
    [["--bogus"], "unknown option '--bogus'"],
    [["--format"], "option '--format <format>' argument missing"],
    [["--config"], "option '--config <file...>' argument missing"],
    [["--output"], "option '--output <file>' argument missing"],
  ])("%j", async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(USAGE_EXIT_CODE);
    expect(USAGE_EXIT_CODE).toBe(2);
    expect(r.stderr).toContain(`error: ${message}`);
    expect(r.stderr).toContain("Usage: backup-audit validate [options]");
  });

  it("refuses an unknown format passed to runValidateCommand", async () => {
    const r = await run([EXAMPLE_FILE], "bogus" as "text");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('backup-audit validate: unknown format "bogus" (use one of text, json, sarif)\n');
  });
});
