import { promises as fs } from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { ConfigError, configArgsFromEnv, loadLandingZones, locateField, type ConfigIssue } from "../../config/loader";
import {
  evaluateConfigPolicies,
  evaluateConfigWarnings,
  formatViolations,
  formatWarnings,
  isGateSetupError,
  policyDirsFromEnv,
  type Violation,
  type ViolationFormat,
} from "../../policies/gate";
import { VIOLATION_FORMATS } from "../../policies/format";
import { existingKeyRequirements } from "../../stacks/key-policies";
import { existingTrailBucketRequirement } from "../../stacks/trail-grants";
import type { NormalizedLandingZone } from "../../config/types";
import { EXIT_USAGE } from "../exit-codes";
import { processIo, type CommandIo } from "../io";

/**
 * `backup-audit validate --config <file>... [--policy <dir>]... [--format text|json|sarif] [--output <file>]`: the
 * pre-synth policy gate on its own (no synth, no AWS calls), with any custom Rego rule folders.
 *
 * Warnings (the policies' `warnings`, e.g. alarms without a subscriber) go to stderr and never change the exit code.
 *
 * Exit codes: 0 every landing zone passes; 1 policy violations; 2 a config cannot be read or does not match the
 * schema (then json/sarif output lists the schema issues under id BAI000, so CI still gets a report), the gate
 * cannot run (stale policy module, a custom policy folder that is missing, does not compile or has no opa), or the
 * command line is wrong (unknown format, unknown option, missing option value): 1 means violations and nothing else.
 */

export interface ValidateCommandOptions {
  /** Config files or folders; none means BACKUP_AUDIT_CONFIG (as synth reads it), else the embedded example. */
  readonly configs: readonly string[];
  readonly format?: ViolationFormat;
  /** Write the report here instead of stdout. */
  readonly output?: string;
  /** Folders of custom Rego rules compiled with the built-in config policies (needs opa); none means $BACKUP_AUDIT_POLICIES. */
  readonly policyDirs?: readonly string[];
}

export type { CommandIo };

/** Exit code of unreadable configs and of command-line usage errors. */
export const USAGE_EXIT_CODE = EXIT_USAGE;

/** Id under which schema problems appear in json/sarif reports (they are not Rego rules). */
export const SCHEMA_ISSUE_ID = "BAI000";

function issueToViolation(issue: ConfigIssue): Violation {
  return {
    id: SCHEMA_ISSUE_ID,
    file: issue.file,
    path: issue.path,
    message: issue.message,
    fix: "make the field match the config schema (config/landing-zone.schema.json)",
  };
}

async function emit(report: string, options: ValidateCommandOptions, io: CommandIo): Promise<void> {
  if (options.output) {
    await fs.mkdir(path.dirname(path.resolve(options.output)), { recursive: true });
    await fs.writeFile(options.output, report);
  } else {
    io.stdout(report);
  }
}

/** The command's whole behaviour, without commander or process globals: returns the exit code. */
export async function runValidateCommand(options: ValidateCommandOptions, io: CommandIo = processIo): Promise<number> {
  const format = options.format ?? "text";
  if (!(VIOLATION_FORMATS as readonly string[]).includes(format)) {
    io.stderr(`backup-audit validate: unknown format "${String(format)}" (use one of ${VIOLATION_FORMATS.join(", ")})\n`);
    return USAGE_EXIT_CODE;
  }
  let violations: Violation[];
  let warnings: Violation[];
  let policyDirs: readonly string[] = [];
  let lzs: NormalizedLandingZone[];
  try {
    policyDirs = options.policyDirs && options.policyDirs.length > 0 ? options.policyDirs : policyDirsFromEnv();
    lzs = await loadLandingZones(options.configs.length > 0 ? options.configs : configArgsFromEnv());
    violations = await evaluateConfigPolicies(lzs, { policyDirs });
    warnings = await evaluateConfigWarnings(lzs, { policyDirs });
  } catch (err) {
    if (isGateSetupError(err)) {
      io.stderr(`backup-audit validate: the policy gate cannot run\n${err.message}\n`);
      return USAGE_EXIT_CODE;
    }
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`backup-audit validate: invalid config\n${err.message}\n`);
    if (format !== "text") await emit(formatViolations(err.issues.map(issueToViolation), format, locateField), options, io);
    return USAGE_EXIT_CODE;
  }
  const report =
    formatViolations(violations, format, locateField, policyDirs) + (format === "text" ? externalPolicyNotes(lzs) : "");
  await emit(report, options, io);
  // On stderr in every format: the report (JSON, SARIF) stays the violations only, and warnings never fail.
  if (warnings.length > 0) io.stderr(formatWarnings(warnings, locateField));
  if (options.output || format !== "text") {
    io.stderr(`backup-audit validate: ${violations.length === 0 ? "no" : violations.length} policy violation(s)\n`);
  }
  return violations.length === 0 ? 0 : 1;
}

/**
 * For every KMS key the configs name by ARN, and for an existing trail's bucket: the statements its policy must
 * contain, as JSON to paste (this project manages only the policies of what it creates). Empty when none.
 */
export function externalPolicyNotes(lzs: readonly NormalizedLandingZone[]): string {
  const notes = lzs.flatMap((lz) => {
    const out = existingKeyRequirements(lz).map(
      (k) =>
        `note: [${lz.name}] ${k.field}: the policy of key ${k.keyArn} (${k.purpose}) must contain these statements:\n` +
        JSON.stringify(k.statements, null, 2) + "\n",
    );
    const bucket = existingTrailBucketRequirement(lz);
    if (bucket) {
      out.push(
        `note: [${lz.name}] auditTrail.existingTrail.bucketName: the policy of bucket ${bucket.bucketName} must contain these statements (read access for the analytics account):\n` +
          JSON.stringify(bucket.statements, null, 2) + "\n",
      );
    }
    return out;
  });
  return notes.length > 0 ? "\n" + notes.join("") : "";
}

/**
 * Adds `validate` to the program. Commander reports usage errors (a `--format` outside the choices, an unknown
 * option, an option without its value, extra arguments) on stderr and exits 1 by default, which here means
 * "violations": this command's exit override turns them into exit code 2. `exit` is replaceable for tests.
 */
export function register(program: Command, exit: (code: number) => never = (code) => process.exit(code)): void {
  program
    .command("validate")
    .description("check landing-zone configs against the Rego policy gate (what synth runs first), without synthesizing")
    .option("--config <file...>", "landing-zone YAML files or folders (default: $BACKUP_AUDIT_CONFIG, else the embedded example)")
    .option(
      "--policy <dir>",
      "folder of your own Rego rules (package backup_audit.config), compiled with the built-in ones by opa; repeatable (default: $BACKUP_AUDIT_POLICIES)",
      (dir: string, dirs: string[]) => [...dirs, dir],
      [] as string[],
    )
    .addOption(new Option("--format <format>", "report format").choices([...VIOLATION_FORMATS]).default("text"))
    .option("--output <file>", "write the report to a file instead of stdout")
    .exitOverride((err) => {
      // Help and version keep commander's exit code 0 (commander exits after this callback returns).
      if (err.exitCode !== 0) exit(USAGE_EXIT_CODE);
    })
    .action(async (opts: { config?: string[]; policy: string[]; format: ViolationFormat; output?: string }) => {
      const code = await runValidateCommand({ configs: opts.config ?? [], format: opts.format, output: opts.output, policyDirs: opts.policy });
      // exitCode, not exit(): pending stdout writes to a pipe must flush first.
      if (code !== 0) process.exitCode = code;
    });
}
