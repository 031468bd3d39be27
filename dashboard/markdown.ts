import { headline, type ReportDocument } from "./data";
import { originsSentence, periodText } from "./html";
import { formatCount } from "./markup";

/**
 * ReportDocument → a short Markdown summary for a pull-request comment or a chat message: the headline
 * figures and the few rows that call for action. The HTML page has the rest.
 */

/** How many rows each list shows: a comment is read on a phone, too. */
const LIST_ROWS = 5;

export function renderMarkdown(doc: ReportDocument): string {
  const { figures } = doc;
  const h = headline(figures);
  const lines: string[] = [];
  lines.push(`### Backup audit report, ${periodText(figures)}`, "");
  const rate = h.successRatePct === null ? "–" : `${h.successRatePct} %`;
  lines.push(
    "| Backup jobs | Success rate | Failed jobs | Non-compliant controls | Non-compliant resources | Accounts without a completed backup |",
    "|---:|---:|---:|---:|---:|---:|",
    `| ${formatCount(h.jobs)} | ${rate} | ${formatCount(h.failedJobs)} | ${formatCount(h.nonCompliantControls)} | ` +
      `${formatCount(h.nonCompliantResources)} | ${formatCount(h.accountsWithoutCompletedBackup)} |`,
    "",
  );

  const failing = accountsByFailures(doc).slice(0, LIST_ROWS);
  if (failing.length > 0) {
    lines.push("**Accounts with the most failed backup jobs:** " + failing.map((a) => `\`${a.accountId}\` ${a.failed}`).join(", "), "");
  }
  const without = figures.accountsWithoutCompletedBackup;
  if (without.length > 0) {
    lines.push("**Accounts without a completed backup:** " + listWithRest(without.map((a) => `\`${a.accountId}\``)), "");
  }
  const controls = [...figures.nonCompliance]
    .filter((r) => r.nonCompliantControls > 0)
    .sort((a, b) => b.nonCompliantControls - a.nonCompliantControls || a.accountId.localeCompare(b.accountId));
  if (controls.length > 0) {
    lines.push(
      "**Non-compliant controls:** " +
        listWithRest(controls.map((r) => `\`${r.accountId}\`${r.ouId ? ` (${r.ouId})` : ""} ${r.nonCompliantControls}`)),
      "",
    );
  }
  const worst = figures.worstResources.slice(0, LIST_ROWS);
  if (worst.length > 0) {
    lines.push("**Worst resources:**", "");
    for (const r of worst) lines.push(`- \`${inlineCode(r.resourceArn)}\`: ${r.failedJobs} failed job(s)${r.lastMessage ? `, last: ${oneLine(r.lastMessage)}` : ""}`);
    lines.push("");
  }
  const copyRestore = figures.copyRestoreByDay.reduce(
    (t, r) => ({ ...t, [r.kind]: t[r.kind] + r.failedJobs }),
    { copy: 0, restore: 0 },
  );
  lines.push(`Failed copy jobs: ${formatCount(copyRestore.copy)}; failed restore jobs: ${formatCount(copyRestore.restore)}.`, "");
  lines.push(`<sub>${sourceLine(doc)} Generated ${doc.generatedAt} by \`backup-audit report\`.</sub>`, "");
  return lines.join("\n");
}

function accountsByFailures(doc: ReportDocument): Array<{ accountId: string; failed: number }> {
  const failed = new Map<string, number>();
  for (const r of doc.figures.jobsByAccountDay) failed.set(r.accountId, (failed.get(r.accountId) ?? 0) + r.failedJobs);
  return [...failed.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([accountId, n]) => ({ accountId, failed: n }));
}

function listWithRest(items: readonly string[]): string {
  const shown = items.slice(0, LIST_ROWS).join(", ");
  return items.length > LIST_ROWS ? `${shown} and ${items.length - LIST_ROWS} more` : shown;
}

function sourceLine(doc: ReportDocument): string {
  const s = doc.source;
  return s.kind === "athena"
    ? `Athena workgroup \`${inlineCode(s.workgroup)}\`, database \`${inlineCode(s.database)}\`.`
    : `${formatCount(s.files.length)} report file(s) under \`${inlineCode(s.folder)}\`.${s.origins === undefined ? "" : ` ${originsSentence(s.origins)}`}`;
}

/** Report values are free text: keep Markdown from reading them as markup or breaking the line. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, " ").replace(/([\\`*_[\]<>|])/g, "\\$1");
}

function inlineCode(value: string): string {
  return value.replace(/`/g, "'");
}
