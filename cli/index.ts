import { readFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { PROJECT_ROOT } from "../app/project-root";
import { ConfigError } from "../config/config-error";
import { EXIT_FAILED, EXIT_USAGE } from "./exit-codes";
import { processIo, type CommandIo } from "./io";

/** The project's version (package.json), for `--version`. */
export function cliVersion(root: string = PROJECT_ROOT): string {
  return (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
}

/**
 * `backup-audit`: one subcommand per module under cli/commands/. Each module exports `register(program)`; add it
 * to COMMANDS. `exit` is replaceable for tests; `only` builds that one command (its modules alone are loaded).
 */
export function buildProgram(exit: (code: number) => never = (code) => process.exit(code), only?: string): Command {
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
  for (const [name, register] of Object.entries(COMMANDS)) if (only === undefined || only === name) register()(program, exit);
  return program;
}

type Register = (program: Command, exit: (code: number) => never) => void;

/**
 * The subcommands, each module required only when its command is built: a run loads the one it needs (the
 * report command does not wait for the S3 client, the config schema or the policy engine). Keep the list sorted.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Readonly<Record<string, () => Register>> = {
  // register-commands:start
  backfill: () => (require("./commands/backfill") as typeof import("./commands/backfill")).register,
  "check-plan": () => (require("./commands/check-plan") as typeof import("./commands/check-plan")).register,
  normalize: () => (require("./commands/normalize") as typeof import("./commands/normalize")).register,
  "parse-key": () => (require("./commands/parse-key") as typeof import("./commands/parse-key")).register,
  query: () => (require("./commands/query") as typeof import("./commands/query")).register,
  report: () => (require("./commands/report") as typeof import("./commands/report")).register,
  stacks: () => (require("./commands/stacks") as typeof import("./commands/stacks")).register,
  validate: () => (require("./commands/validate") as typeof import("./commands/validate")).register,
  // register-commands:end
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Exit code for an error that escaped a command: an unreadable or invalid config is 2, anything else 1. */
export function exitCodeOf(err: unknown): number {
  return err instanceof ConfigError ? EXIT_USAGE : EXIT_FAILED;
}

/** Runs the CLI on `argv` (process.argv form); sets process.exitCode, prints a message and no stack trace. */
export async function runCli(argv: readonly string[], io: CommandIo = processIo): Promise<void> {
  try {
    // Only the command named (when it is one): its modules alone are loaded. The program's help gets them all.
    const named = argv[2];
    const only = named !== undefined && Object.hasOwn(COMMANDS, named) ? named : undefined;
    await buildProgram(undefined, only).parseAsync([...argv]);
  } catch (err) {
    const what = err instanceof ConfigError ? `invalid config\n${err.message}` : err instanceof Error ? err.message : String(err);
    io.stderr(`backup-audit: ${what}\n`);
    process.exitCode = exitCodeOf(err);
  }
}

if (require.main === module) void runCli(process.argv);
