import { Command } from "commander";
import { register as registerBackfill } from "./commands/backfill";
import { register as registerParseKey } from "./commands/parse-key";
import { register as registerQuery } from "./commands/query";
import { register as registerStacks } from "./commands/stacks";
import { register as registerValidate } from "./commands/validate";

/**
 * `backup-audit`: one subcommand per module under cli/commands/. Each module exports `register(program)`;
 * add its import and call below (keep the list sorted).
 */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name("backup-audit")
    .description("AWS Backup Audit Manager reporting for an AWS Organization: validate, parse keys, backfill, query")
    .showHelpAfterError();
  // register-commands:start
  registerBackfill(program);
  registerParseKey(program);
  registerQuery(program);
  registerStacks(program);
  registerValidate(program);
  // register-commands:end
  return program;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`backup-audit: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    });
}
