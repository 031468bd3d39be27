import { runSynthCommand } from "./app/synth-command";
import { processIo } from "./cli/io";

/**
 * The cdktf app (cdktf.json's `app` and `npm run synth` run it through bin/synth-app.js, which compiles what
 * changed first). Everything is in app/synth-command.ts; this file only owns the process.
 */
runSynthCommand(process.env, processIo).then(
  // exit(), not exitCode: the policy engines may keep handles open. Writes to pipes and files are synchronous here.
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`backup-audit: synth failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
