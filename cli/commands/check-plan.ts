import { promises as fs } from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { isGateSetupError } from "../../policies/gate";
import { VIOLATION_FORMATS } from "../../policies/format";
import { checkPlanFiles, PlanInputError, type PlanCheckResult } from "../../policies/plan-check";
import { formatPlanCheck, planVerdict, type PlanReportFormat } from "../../policies/plan-format";
import { isCalendarDay } from "../../policies/waivers";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../exit-codes";
import { processIo, type CommandIo } from "../io";

/**
 * `backup-audit check-plan <plan.json>... [--waivers <file>] [--policy <dir>]... [--format text|json|sarif]
 * [--output <file>] [--date YYYY-MM-DD]`: the plan guard on the JSON of saved plans (`terraform show -json`), before
 * apply. Each plan's stack is taken from its path (`.../stacks/<stack>/...`, else the file name).
 *
 * Exit codes (README, "Exit codes"): 0 no deny finding is left after the waivers (warnings and waived findings
 * are reported); 1 a deny finding, an expired waiver included; 2 a plan or waiver file that cannot be read or is
 * not what it should be (a binary plan, a state, another format version, a waiver without an owner), the gate
 * cannot run (stale module, custom folder problems), or the command line is wrong.
 */

export interface CheckPlanCommandOptions {
  /** Plan files: the JSON of `terraform show -json <saved plan>`. */
  readonly plans: readonly string[];
  readonly format?: PlanReportFormat;
  /** Write the report here instead of stdout. */
  readonly output?: string;
  /** The waiver file (YAML). */
  readonly waivers?: string;
  /** Folders of custom Rego rules in package backup_audit.plan (needs opa). */
  readonly policyDirs?: readonly string[];
  /** Judge the waivers on this day (YYYY-MM-DD, UTC) instead of today. */
  readonly date?: string;
}

async function emit(report: string, output: string | undefined, io: CommandIo): Promise<void> {
  if (output) {
    await fs.mkdir(path.dirname(path.resolve(output)), { recursive: true });
    await fs.writeFile(output, report);
  } else {
    io.stdout(report);
  }
}

/** The command's whole behaviour, without commander or process globals: returns the exit code. */
export async function runCheckPlanCommand(options: CheckPlanCommandOptions, io: CommandIo = processIo): Promise<number> {
  const format = options.format ?? "text";
  const usage = (message: string) => {
    io.stderr(`backup-audit check-plan: ${message}\n`);
    return EXIT_USAGE;
  };
  if (!(VIOLATION_FORMATS as readonly string[]).includes(format)) return usage(`unknown format "${String(format)}" (use one of ${VIOLATION_FORMATS.join(", ")})`);
  if (options.plans.length === 0) return usage("name at least one plan file (the JSON of `terraform show -json <saved plan>`)");
  if (options.date !== undefined && !isCalendarDay(options.date)) return usage(`--date "${options.date}" is not a calendar day written YYYY-MM-DD`);
  const policyDirs = options.policyDirs ?? [];
  let result: PlanCheckResult;
  try {
    result = checkPlanFiles(options.plans, { waiverFile: options.waivers, policyDirs, today: options.date });
  } catch (err) {
    if (err instanceof PlanInputError) return usage(`cannot read the input\n${err.message}`);
    if (isGateSetupError(err)) return usage(`the plan guard cannot run\n${err.message}`);
    throw err;
  }
  await emit(formatPlanCheck(result, format, policyDirs), options.output, io);
  if (options.output || format !== "text") io.stderr(`backup-audit check-plan: ${planVerdict(result).replace(/^plan check: /, "")}\n`);
  return result.passed ? EXIT_OK : EXIT_FAILED;
}

/**
 * Adds `check-plan` to the program. Usage errors exit 2 (commander's default 1 means violations here); `exit` is
 * replaceable for tests.
 */
export function register(program: Command, exit: (code: number) => never = (code) => process.exit(code)): void {
  program
    .command("check-plan")
    .description("check saved Terraform plans (the JSON of `terraform show -json`) against the plan guard before apply: deletions of the audit trail are refused")
    .argument("<plan...>", "plan files: `terraform show -json <saved plan> > plan.json`; the stack is taken from .../stacks/<stack>/..., else the file name")
    .option("--waivers <file>", "YAML file of waivers (rule, address, stack, owner, reason, expires)")
    .option(
      "--policy <dir>",
      "folder of your own Rego rules (package backup_audit.plan, adding to deny or warn), compiled with the built-in ones by opa; repeatable",
      (dir: string, dirs: string[]) => [...dirs, dir],
      [] as string[],
    )
    .addOption(new Option("--format <format>", "report format").choices([...VIOLATION_FORMATS]).default("text"))
    .option("--output <file>", "write the report to a file instead of stdout")
    .option("--date <YYYY-MM-DD>", "judge the waivers' expiry on this day (UTC) instead of today")
    .exitOverride((err) => {
      if (err.exitCode !== 0) exit(EXIT_USAGE);
    })
    .action(async (plans: string[], opts: { waivers?: string; policy: string[]; format: PlanReportFormat; output?: string; date?: string }) => {
      const code = await runCheckPlanCommand({ plans, waivers: opts.waivers, policyDirs: opts.policy, format: opts.format, output: opts.output, date: opts.date });
      // exitCode, not exit(): pending stdout writes to a pipe must flush first.
      if (code !== 0) process.exitCode = code;
    });
}
