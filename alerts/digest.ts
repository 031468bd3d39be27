import { accountLabel, JOB_LABEL, snsSubject, type AlertMessage, type MessageContext } from "./format-message";
import type { JobAlert } from "./job-alert";
import { jobConsoleLink } from "./console-link";

/**
 * Jobs listed in full in one digest; the rest are counted. SNS takes 256 KB per message, and a mail of a few
 * hundred entries is already more than anyone reads: the counts and the archive carry the rest.
 */
export const DIGEST_MAX_LISTED = 200;

/** `FAILED 15, EXPIRED 5`: states by count, largest first, then by name. */
export function stateCounts(alerts: readonly JobAlert[]): string {
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.state, (counts.get(a.state) ?? 0) + 1);
  return [...counts.entries()]
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
    .map(([state, n]) => `${state} ${n}`)
    .join(", ");
}

/**
 * One message for every alert of a digest window: counts by state, then one numbered entry per job (oldest first,
 * duplicate event ids once) with account, Region, kind, id, resource, status message and link. Pure.
 */
export function formatDigest(alerts: readonly JobAlert[], ctx: MessageContext, windowSeconds: number): AlertMessage {
  const seen = new Set<string>();
  const unique = alerts.filter((a) => {
    if (a.eventId === "") return true;
    if (seen.has(a.eventId)) return false;
    seen.add(a.eventId);
    return true;
  });
  if (unique.length === 0) throw new Error("formatDigest: no alert to summarise");
  const sorted = [...unique].sort((x, y) => x.time.localeCompare(y.time) || x.jobId.localeCompare(y.jobId));
  const listed = sorted.slice(0, DIGEST_MAX_LISTED);
  const accounts = new Set(sorted.map((a) => a.account)).size;
  const n = sorted.length;
  const entries = listed.map((a, i) => {
    const resource = a.resource ?? "(resource not in the event)";
    return [
      `${i + 1}. ${a.state} ${JOB_LABEL[a.jobType].toLowerCase()} job ${a.jobId}`,
      `   ${accountLabel(a.account, ctx.accountNames)}, ${a.region}, ${a.time}`,
      `   ${resource}`,
      `   ${a.statusMessage ?? "(no status message)"}`,
      `   ${jobConsoleLink(a.region, a.jobType, a.jobId)}`,
    ].join("\n");
  });
  const more = n > listed.length ? [`... and ${n - listed.length} more, not listed (same window).`] : [];
  const body = [
    `${n} AWS Backup job alert${n === 1 ? "" : "s"} in ${accounts} account${accounts === 1 ? "" : "s"}, ${sorted[0].time} to ${sorted[n - 1].time} (digest window ${windowSeconds} s)`,
    `States: ${stateCounts(sorted)}`,
    "",
    ...entries.flatMap((e) => [e, ""]),
    ...more,
    `Landing zone ${ctx.landingZone}: backup job alerts (backup-audit-insights). Each link opens the job when you are signed in to its account.`,
  ].join("\n");
  return { subject: snsSubject(`[${ctx.landingZone}] ${n} AWS Backup job alert${n === 1 ? "" : "s"} (${stateCounts(sorted)})`), body };
}
