import * as fs from "fs";
import type { Command } from "commander";
import { ReportParseError } from "../../reports/normalize";
import { DEFAULT_NORMALIZED_PREFIX } from "../../reports/normalized-table";
import { normalizeFolder } from "../../queries/normalize-folder";
import { EXIT_OK, EXIT_USAGE } from "../exit-codes";
import { processIo, type CommandIo } from "../io";

/**
 * `backup-audit normalize --reports <folder> --out <dir>`: writes the normalised copies of a local bucket copy
 * exactly as the partitioner Lambda writes them to S3 (same normaliser, same keys under `normalized/`), to
 * inspect a report or to try a header-table change before deploying it.
 *
 * Exit codes (cli/exit-codes.ts): 0 done; 2 wrong invocation, a missing folder, or a report that is not valid CSV
 * (file and line named) — an input that cannot be read, as in `query`.
 */
export async function runNormalizeCommand(
  options: { readonly reports?: string; readonly out?: string },
  io: CommandIo = processIo,
): Promise<number> {
  if (options.reports === undefined || options.out === undefined) {
    io.stderr("backup-audit normalize: --reports <folder> and --out <dir> are required\n");
    return EXIT_USAGE;
  }
  if (!fs.existsSync(options.reports) || !fs.statSync(options.reports).isDirectory()) {
    io.stderr(`backup-audit normalize: reports folder not found: ${options.reports}\n`);
    return EXIT_USAGE;
  }
  try {
    const result = await normalizeFolder(options.reports, options.out, DEFAULT_NORMALIZED_PREFIX);
    for (const warning of result.warnings) io.stderr(`warning: ${warning}\n`);
    for (const f of result.files) {
      if (f.outcome.kind === "normalized") io.stdout(`${f.key} → ${f.normalizedKey} (${f.outcome.rows} rows)\n`);
    }
    const written = result.files.filter((f) => f.outcome.kind === "normalized").length;
    io.stdout(`${written} report file(s) normalised, ${result.files.length - written} skipped\n`);
    return EXIT_OK;
  } catch (err) {
    if (err instanceof ReportParseError) {
      io.stderr(`backup-audit normalize: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

export function register(program: Command): void {
  program
    .command("normalize")
    .description("write the normalised copies of a local copy of the reports bucket, as the partitioner Lambda does")
    .option("--reports <folder>", "local copy of the reports bucket: aws s3 sync s3://<bucket> <folder>")
    .option("--out <dir>", "folder for the normalised copies (keys under normalized/, as in the bucket)")
    .action(async (opts: { reports?: string; out?: string }) => {
      const code = await runNormalizeCommand(opts);
      if (code !== 0) process.exitCode = code;
    });
}
