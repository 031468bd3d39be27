/** One problem in one config file: where it is and how to fix it. */
export interface ConfigIssue {
  /** The config file (or what a TypeScript config is labelled with). */
  file: string;
  /** Dotted field path, e.g. `reports.scope.regions[0]`; empty for file-level problems. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
  /** 1-based line in the file, when known. */
  line: number | null;
  /** 1-based column, when known. */
  column: number | null;
}

/**
 * Raised for any unreadable or invalid config; the message lists every issue, one per line. Every command
 * turns it into exit code 2 (unreadable input), whatever the cause: syntax, encoding, size or schema.
 */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatConfigIssue).join("\n"));
    this.name = "ConfigError";
  }
}

/** `file:line:column: path: message`, or without the parts that are unknown. */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.line !== null ? `${issue.file}:${issue.line}:${issue.column ?? 1}` : issue.file;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** An issue about the whole file (no field, no position). */
export function fileIssue(file: string, message: string): ConfigIssue {
  return { file, path: "", message, line: null, column: null };
}
