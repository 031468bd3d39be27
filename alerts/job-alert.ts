import { JOB_DETAIL_TYPES, type JobType } from "./job-event-pattern";

/** One job state change worth an alert, read from an AWS Backup EventBridge event. */
export interface JobAlert {
  /** EventBridge event id (duplicates share it: delivery is at least once). */
  readonly eventId: string;
  /** Event time (ISO 8601, UTC). */
  readonly time: string;
  /** Account and Region the job ran in. */
  readonly account: string;
  readonly region: string;
  readonly jobType: JobType;
  readonly jobId: string;
  /** FAILED, ABORTED, EXPIRED, PARTIAL, COMPLETED (with issues), ... as AWS Backup wrote it. */
  readonly state: string;
  /** The protected resource's ARN; for a restore the source resource, else the recovery point; null when absent. */
  readonly resource: string | null;
  /** True when `resource` is the recovery point (a restore event that names no source resource). */
  readonly resourceIsRecoveryPoint: boolean;
  readonly resourceType: string | null;
  /** AWS Backup's explanation, without the quotes some events wrap it in; null when absent or empty. */
  readonly statusMessage: string | null;
}

export type JobAlertParse = { readonly ok: true; readonly alert: JobAlert } | { readonly ok: false; readonly reason: string };

const TYPE_BY_DETAIL: ReadonlyMap<string, JobType> = new Map(
  (Object.keys(JOB_DETAIL_TYPES) as JobType[]).map((t) => [JOB_DETAIL_TYPES[t], t]),
);
const JOB_ID_FIELD: Record<JobType, string> = { BACKUP: "backupJobId", COPY: "copyJobId", RESTORE: "restoreJobId" };

function text(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}

/** AWS Backup's documented backup-job events carry the message inside literal quotes (`"\"Backup job failed ...\""`). */
export function cleanStatusMessage(value: unknown): string | null {
  const t = text(value);
  if (t === null) return null;
  const unquoted = t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
  return unquoted.length > 0 ? unquoted : null;
}

/** Reads a job state-change event; anything else (another detail type, a malformed event) is a reason, not an error. */
export function parseJobEvent(event: unknown): JobAlertParse {
  if (typeof event !== "object" || event === null) return { ok: false, reason: "not an object" };
  const e = event as Record<string, unknown>;
  if (e.source !== "aws.backup") return { ok: false, reason: `source ${JSON.stringify(e.source)} is not aws.backup` };
  const jobType = typeof e["detail-type"] === "string" ? TYPE_BY_DETAIL.get(e["detail-type"]) : undefined;
  if (jobType === undefined) return { ok: false, reason: `detail-type ${JSON.stringify(e["detail-type"])} is not a job state change` };
  const detail = e.detail;
  if (typeof detail !== "object" || detail === null) return { ok: false, reason: "no detail object" };
  const d = detail as Record<string, unknown>;
  const account = text(e.account);
  const region = text(e.region);
  if (account === null || region === null) return { ok: false, reason: "no account or region" };
  const state = text(d.state) ?? text(d.status);
  if (state === null) return { ok: false, reason: "detail has neither state nor status" };
  const resources = Array.isArray(e.resources) ? e.resources.filter((r): r is string => typeof r === "string") : [];
  const named = text(d.resourceArn) ?? text(d.sourceResourceArn);
  // Restore events may name only what is restored from: the recovery point (detail or the event's resources).
  const recoveryPoint = jobType === "RESTORE" ? (text(d.recoveryPointArn) ?? resources[0] ?? null) : null;
  const resource = named ?? recoveryPoint;
  return {
    ok: true,
    alert: {
      eventId: text(e.id) ?? "",
      time: text(e.time) ?? "",
      account,
      region,
      jobType,
      jobId: text(d[JOB_ID_FIELD[jobType]]) ?? "(no job id)",
      state,
      resource,
      resourceIsRecoveryPoint: named === null && resource !== null,
      resourceType: text(d.resourceType),
      statusMessage: cleanStatusMessage(d.statusMessage),
    },
  };
}
