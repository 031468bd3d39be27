import { runReportCommand, type ReportCommandDeps, type ReportCommandOptions } from "../../cli/commands/report";

/** Runs `backup-audit report` in-process with a fixed clock; returns the exit code and what it printed. */
export async function runReport(
  options: ReportCommandOptions,
  deps: ReportCommandDeps = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runReportCommand(
    options,
    { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) },
    { now: () => new Date("2026-03-17T08:00:00Z"), ...deps },
  );
  return { code, stdout, stderr };
}
