import { readFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { PROJECT_ROOT } from "../app/project-root";
import { ConfigError } from "../config/loader";
import { register as registerBackfill } from "./commands/backfill";
import { register as registerCheckPlan } from "./commands/check-plan";
import { register as registerNormalize } from "./commands/normalize";
import { register as registerParseKey } from "./commands/parse-key";
import { register as registerQuery } from "./commands/query";
import { register as registerReport } from "./commands/report";
import { register as registerStacks } from "./commands/stacks";
import { register as registerValidate } from "./commands/validate";
import { EXIT_FAILED, EXIT_USAGE } from "./exit-codes";
import { processIo, type CommandIo } from "./io";

/** The project's version (package.json), for `--version`. */
export function cliVersion(root: string = PROJECT_ROOT): string {
  return (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
}

/**
 * `backup-audit`: one subcommand per module under cli/commands/. Each module exports `register(program)`;
 * add its import and call below (keep the list sorted). `exit` is replaceable for tests.
 */
export function buildProgram(exit: (code: number) => never = (code) => process.exit(code)): Command {
  const program = new Command();
  program
    .name("backup-audit")
    .description("AWS Backup Audit Manager reporting for an AWS Organization: validate, check plans, parse keys, normalise, backfill, query")
    .version(cliVersion(), "-V, --version", "print the version")
    .showHelpAfterError()
    // Usage errors (unknown option or command, missing argument, bad choice) exit 2 in every subcommand:
    // commander's default is 1, which here means violations or failed work. Subcommands inherit this; help and
    // --version (exit code 0) fall through to commander's own exit.
    .exitOverride((err) => {
      if (err.exitCode !== 0) exit(EXIT_USAGE);
    });
  // register-commands:start
  registerBackfill(program);
  registerCheckPlan(program, exit);
  registerNormalize(program);
  registerParseKey(program);
  registerQuery(program);
  registerReport(program);
  registerStacks(program);
  registerValidate(program, exit);
  // register-commands:end
  return program;
}

/** Exit code for an error that escaped a command: an unreadable or invalid config is 2, anything else 1. */
export function exitCodeOf(err: unknown): number {
  return err instanceof ConfigError ? EXIT_USAGE : EXIT_FAILED;
}

/** Runs the CLI on `argv` (process.argv form); sets process.exitCode, prints a message and no stack trace. */
export async function runCli(argv: readonly string[], io: CommandIo = processIo): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (err) {
    const what = err instanceof ConfigError ? `invalid config\n${err.message}` : err instanceof Error ? err.message : String(err);
    io.stderr(`backup-audit: ${what}\n`);
    process.exitCode = exitCodeOf(err);
  }
}

if (require.main === module) void runCli(process.argv);
