import type { Command } from "commander";
import { DEFAULT_NORMALIZED_PREFIX, deliveryDate, normalizedObjectKey } from "../../reports/normalized-table";
import { parseReportKey, partitionRecord } from "../../reports/report-key";
import { reportTablesWithOverrides } from "../../reports/report-tables";
import { processIo, type CommandIo } from "../io";

/**
 * `backup-audit parse-key <key>...`: shows what the partitioner Lambda would do with S3 keys, using the same parser.
 * Every key is processed; rejected keys go to stderr with their reason and make the exit code 1.
 */

export interface ParseKeyOptions {
  /** `TEMPLATE=prefix` overrides of the templates' default key prefixes. */
  readonly prefix: readonly string[];
  /** When set, `normalized` is the full `s3://<bucket>/...` URL of the normalised copy. */
  readonly bucket?: string;
}

export type ParseKeyIo = CommandIo;

/** JSON printed for one accepted key (one object per line). */
export interface ParseKeyOutput {
  key: string;
  template: string;
  table: string;
  /** The key's folder values (scope, Region, YYYY, MM, DD, plan). */
  partition: Record<string, string>;
  /** The Glue partition: `delivery_date` (projected). */
  deliveryDate: string;
  /** Where the Lambda writes the normalised copy: `s3://<bucket>/<key>` with --bucket, else the key. */
  normalized: string;
  fileName: string;
  part: number | null;
  warnings: string[];
}

/** The command without commander or process globals: returns the exit code (0 all parsed, 1 some rejected). */
export function runParseKey(keys: readonly string[], options: ParseKeyOptions, io: ParseKeyIo = processIo): number {
  const tables = reportTablesWithOverrides(options.prefix);
  let rejected = 0;
  for (const key of keys) {
    const parsed = parseReportKey(key, tables);
    if (!parsed.ok) {
      rejected++;
      io.stderr(`parse-key: ${JSON.stringify(key)}: ${parsed.reason}: ${parsed.message}\n`);
      continue;
    }
    const output: ParseKeyOutput = {
      key: parsed.key,
      template: parsed.template,
      table: parsed.tableName,
      partition: partitionRecord(parsed.partitionValues),
      deliveryDate: deliveryDate(parsed),
      normalized: `${options.bucket !== undefined ? `s3://${options.bucket}/` : ""}${normalizedObjectKey(parsed, DEFAULT_NORMALIZED_PREFIX)}`,
      fileName: parsed.fileName,
      part: parsed.part,
      warnings: [...parsed.warnings],
    };
    io.stdout(`${JSON.stringify(output)}\n`);
  }
  return rejected > 0 ? 1 : 0;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function register(program: Command): void {
  program
    .command("parse-key")
    .description("parse report object keys into template, Glue table, delivery date and normalised copy (JSON lines)")
    .argument("<key...>", "S3 object keys (percent-escapes are decoded)")
    .option(
      "--prefix <TEMPLATE=prefix>",
      "key prefix of a template's report plan (repeatable; default: the templates' default prefixes)",
      collect,
      [] as string[],
    )
    .option("--bucket <name>", "reports bucket, to print full s3:// URLs of the normalised copies")
    .action((keys: string[], opts: { prefix: string[]; bucket?: string }) => {
      const code = runParseKey(keys, { prefix: opts.prefix, bucket: opts.bucket });
      // exitCode, not exit(): pending stdout writes to a pipe must flush first.
      if (code !== 0) process.exitCode = code;
    });
}
