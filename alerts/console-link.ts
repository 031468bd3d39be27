import type { JobType } from "./job-event-pattern";

const JOB_PATH: Record<JobType, string> = { BACKUP: "backup", COPY: "copy", RESTORE: "restore" };

/** The AWS console's host for a Region's partition (China and GovCloud have their own). */
function consoleHost(region: string): string {
  if (region.startsWith("cn-")) return "console.amazonaws.cn";
  if (region.startsWith("us-gov-")) return "console.amazonaws-us-gov.com";
  return `${region}.console.aws.amazon.com`;
}

/**
 * The job's page in the AWS Backup console (`#/jobs/<kind>/details/<id>`, the console's own link form). It opens
 * in whatever account the reader is signed in to, so messages name the account beside it. Pure.
 */
export function jobConsoleLink(region: string, jobType: JobType, jobId: string): string {
  return `https://${consoleHost(region)}/backup/home?region=${region}#/jobs/${JOB_PATH[jobType]}/details/${encodeURIComponent(jobId)}`;
}
