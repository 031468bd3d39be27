import { jobConsoleLink } from "./console-link";
import type { JobAlert } from "./job-alert";
import type { JobType } from "./job-event-pattern";

/** What goes to the topic: SNS's subject (≤ 100 printable ASCII characters, one line) and the text body. */
export interface AlertMessage {
  readonly subject: string;
  readonly body: string;
}

/** Names the messages use: the landing zone, and readable account names by id. */
export interface MessageContext {
  readonly landingZone: string;
  readonly accountNames: Readonly<Record<string, string>>;
}

export const JOB_LABEL: Record<JobType, string> = { BACKUP: "Backup", COPY: "Copy", RESTORE: "Restore" };

/** `Workloads Prod (444455556666)` when the config names the account, else the id alone. */
export function accountLabel(account: string, names: Readonly<Record<string, string>>): string {
  const name = names[account];
  return name ? `${name} (${account})` : account;
}

/** SNS refuses a subject over 100 characters or with line breaks or non-ASCII characters. */
export function snsSubject(text: string): string {
  const ascii = text.replace(/[\r\n\t]+/g, " ").replace(/[^\x20-\x7e]/g, "?");
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}

function lines(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width + 1)}${value}`).join("\n");
}

/** One job's message: account, Region, job kind and id, resource, state, status message, console link. Pure. */
export function formatJobAlert(alert: JobAlert, ctx: MessageContext): AlertMessage {
  const kind = JOB_LABEL[alert.jobType];
  const account = accountLabel(alert.account, ctx.accountNames);
  const resource = alert.resource === null ? "(not in the event)" : alert.resource;
  const body = [
    `AWS Backup ${kind.toLowerCase()} job ${alert.state} in ${account}, ${alert.region}`,
    "",
    lines([
      ["Account", account],
      ["Region", alert.region],
      ["Job", `${kind} job ${alert.jobId}`],
      [alert.resourceIsRecoveryPoint ? "Recovery point" : "Resource", alert.resourceType === null ? resource : `${resource} (${alert.resourceType})`],
      ["State", alert.state],
      ["Status message", alert.statusMessage ?? "(none)"],
      ["Time", alert.time],
      ["Console", jobConsoleLink(alert.region, alert.jobType, alert.jobId)],
    ]),
    `(the link opens the job when you are signed in to account ${alert.account})`,
    "",
    `Landing zone ${ctx.landingZone}: backup job alerts (backup-audit-insights).`,
  ].join("\n");
  return { subject: snsSubject(`[${ctx.landingZone}] ${kind} job ${alert.state}: ${account} ${alert.region}`), body };
}
