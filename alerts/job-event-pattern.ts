/**
 * The EventBridge pattern of the job alerts, shared by the member rules (StackSet template), the central bus's
 * rule and the emulator test, so that what is tested is what is deployed. Pure.
 *
 * AWS Backup's documented events (AWS Backup guide, "Monitoring AWS Backup events using Amazon EventBridge"):
 * backup and copy jobs carry `detail.state`, restore jobs `detail.status`; both are matched. COMPLETED only matches
 * with a non-empty `statusMessage`: that is the console's "Completed with issues" (same page).
 */

/** Job kinds and the `detail-type` AWS Backup sends for each. */
export const JOB_DETAIL_TYPES = {
  BACKUP: "Backup Job State Change",
  COPY: "Copy Job State Change",
  RESTORE: "Restore Job State Change",
} as const;

export type JobType = keyof typeof JOB_DETAIL_TYPES;
export type JobAlertState = "FAILED" | "ABORTED" | "EXPIRED" | "PARTIAL" | "COMPLETED";

/** The pattern: `aws.backup`, the kinds' detail types, and the states in either field. */
export function jobEventPattern(jobTypes: readonly JobType[], states: readonly JobAlertState[]): Record<string, unknown> {
  if (jobTypes.length === 0) throw new Error("jobEventPattern: no job type (EventBridge rejects an empty list)");
  if (states.length === 0) throw new Error("jobEventPattern: no state (EventBridge rejects an empty list)");
  const ended = states.filter((s) => s !== "COMPLETED");
  const branches: Array<Record<string, unknown>> = [];
  for (const field of ["state", "status"]) {
    if (ended.length > 0) branches.push({ detail: { [field]: [...ended] } });
    if (states.includes("COMPLETED")) {
      branches.push({ detail: { [field]: ["COMPLETED"], statusMessage: [{ "anything-but": [""] }] } });
    }
  }
  return {
    source: ["aws.backup"],
    "detail-type": jobTypes.map((t) => JOB_DETAIL_TYPES[t]),
    $or: branches,
  };
}
