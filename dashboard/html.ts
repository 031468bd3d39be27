import { heatMap, horizontalBars, stackedColumns, type BarGroup, type Chart, type Column } from "./charts";
import { headline, percent, type ReportDocument, type ReportFigures, type ReportSource } from "./data";
import { dayAxis } from "./days";
import { escapeHtml as esc, formatCount } from "./markup";
import { CATEGORY_COLORS, SUCCESS_BINS, successBin } from "./palette";
import { styleSheet } from "./style";

/**
 * ReportDocument → one self-contained HTML page: inline CSS and SVG, no script, no font or image to fetch
 * (the Content-Security-Policy says so to the browser, too). Every chart is a <figure> with a caption that
 * names it, a legend where colours carry meaning, and its numbers in a table below.
 */

/** Chart ids in page order; `marks` of a rendered page says how many data marks each one drew. */
export const CHART_IDS = ["job-success", "failures-region-type", "non-compliance", "copy-restore"] as const;
export type ChartId = (typeof CHART_IDS)[number];

export interface RenderedPage {
  readonly html: string;
  readonly marks: Readonly<Record<ChartId, number>>;
}

export function renderHtml(doc: ReportDocument): RenderedPage {
  const { figures } = doc;
  const h = headline(figures);
  const sections: Array<{ id: ChartId; html: string; marks: number }> = [
    jobSuccessSection(figures),
    failuresByRegionTypeSection(figures),
    nonComplianceSection(figures),
    copyRestoreSection(figures),
  ];
  const marks = Object.fromEntries(sections.map((s) => [s.id, s.marks])) as Record<ChartId, number>;
  const title = `Backup audit report, ${periodText(figures)}`;
  const rate = h.successRatePct === null ? "–" : `${h.successRatePct} %`;
  const cards = [
    card("Backup jobs", formatCount(h.jobs), `${formatCount(h.finishedJobs)} finished`),
    card("Success rate", rate, `${formatCount(h.completedJobs)} of ${formatCount(h.finishedJobs)} finished jobs completed`),
    card("Failed jobs", formatCount(h.failedJobs), "failed, aborted, expired or partial", h.failedJobs > 0),
    card("Non-compliant controls", formatCount(h.nonCompliantControls), "latest evaluation per account, Region, framework", h.nonCompliantControls > 0),
    card("Non-compliant resources", formatCount(h.nonCompliantResources), "latest evaluation per resource", h.nonCompliantResources > 0),
    card(
      "Accounts without a completed backup",
      formatCount(h.accountsWithoutCompletedBackup),
      "seen in a report, no completed backup job",
      h.accountsWithoutCompletedBackup > 0,
    ),
  ];
  const html = [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    // No script, no fetch: the page is a file to mail or attach, and must show the same offline.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="backup-audit report">`,
    `<title>${esc(title)}</title>`,
    `<style>${styleSheet()}</style>`,
    "</head><body><main>",
    "<header>",
    "<h1>Backup audit report</h1>",
    `<p class="meta">Period: <strong>${esc(periodText(figures))}</strong> (report delivery days, inclusive). ${esc(sourceText(doc.source))}</p>`,
    `<p class="meta">Generated ${esc(doc.generatedAt)} by <code>backup-audit report</code>. Each job and each evaluation counts once, in its latest state among the period's reports.</p>`,
    "</header>",
    `<section aria-labelledby="h-headline"><h2 id="h-headline">Headline figures</h2><dl class="cards">${cards.join("")}</dl></section>`,
    ...sections.map((s) => s.html),
    worstResourcesSection(figures),
    accountsWithoutBackupSection(figures),
    coverageSection(doc),
    `<footer>Job states: COMPLETED is a success; FAILED, ABORTED, EXPIRED and PARTIAL are failures (copy: FAILED, ABORTED, PARTIAL; restore: FAILED, ABORTED); CREATED, PENDING, RUNNING and ABORTING are unfinished. Days are UTC. The queries are <code>queries/report/*.sql</code> and <code>accounts_without_completed_backup</code>, the same SQL locally and in Athena.${originsText(doc.source)}</footer>`,
    "</main></body></html>",
    "",
  ].join("\n");
  return { html, marks };
}

/** "2026-03-15 – 2026-03-16" from the deliveries actually read (the requested bounds when nothing was read). */
export function periodText(figures: ReportFigures): string {
  const first = figures.coverage.map((c) => c.firstDay).sort()[0];
  const last = figures.coverage.map((c) => c.lastDay).sort().pop();
  const from = first ?? figures.period.from;
  const to = last ?? figures.period.to;
  if (from === null && to === null) return "no report delivered";
  return `${from ?? "…"} – ${to ?? "…"}`;
}

/** The footer's line on where a local run read its files from ("" in Athena, or when not told). */
function originsText(source: ReportSource): string {
  if (source.kind !== "local" || source.origins === undefined) return "";
  return `<p class="origins">${esc(originsSentence(source.origins))}</p>`;
}

/** "Report files read: 540 from the bucket's normalised copies, 0 from the local cache, 0 normalised now." */
export function originsSentence(origins: { readonly bucketCopies: number; readonly cache: number; readonly normalized: number }): string {
  return (
    `Report files read: ${formatCount(origins.bucketCopies)} from the bucket's normalised copies (what Athena reads), ` +
    `${formatCount(origins.cache)} from the local cache, ${formatCount(origins.normalized)} normalised now.`
  );
}

function sourceText(source: ReportSource): string {
  if (source.kind === "athena") {
    return `Source: Athena workgroup ${source.workgroup}, database ${source.database} (${source.queryExecutionIds.length} query executions).`;
  }
  const skipped = source.skippedFiles ? `; ${source.skippedFiles} other file(s) skipped` : "";
  return `Source: ${formatCount(source.files.length)} report file(s) under ${source.folder}${skipped}.`;
}

function card(label: string, value: string, note: string, alert = false): string {
  return `<div class="card${alert ? " alert" : ""}"><dt>${esc(label)}</dt><dd>${esc(value)}<small>${esc(note)}</small></dd></div>`;
}

function figure(id: ChartId, caption: string, chart: Chart | null, legend: string, table: string, empty: string): string {
  const body =
    chart === null
      ? `<p class="empty">${esc(empty)}</p>`
      : `<div class="scroll">${chart.svg}</div>${legend}<details><summary>Numbers for this chart</summary><div class="scroll">${table}</div></details>`;
  return `<figure id="fig-${id}" data-chart="${id}" aria-labelledby="cap-${id}"><figcaption id="cap-${id}">${esc(caption)}</figcaption>${body}</figure>`;
}

function legend(items: ReadonlyArray<{ cls: string; label: string }>): string {
  const li = items.map((i) => `<li><span class="swatch ${i.cls}" aria-hidden="true"></span>${esc(i.label)}</li>`);
  return `<ul class="legend" aria-label="Colour key">${li.join("")}</ul>`;
}

/** Column classes by index: "n" numbers (right-aligned), "arn" and "wrap" long text that may wrap. */
type ColumnClasses = Readonly<Record<number, "n" | "arn" | "wrap">>;

function table(caption: string, head: readonly string[], rows: readonly (readonly string[])[], classes: ColumnClasses = {}, cls = ""): string {
  const c = (i: number): string => (classes[i] ? ` class="${classes[i]}"` : "");
  const th = head.map((name, i) => `<th scope="col"${classes[i] === "n" ? ' class="n"' : ""}>${esc(name)}</th>`).join("");
  const body = rows
    .map((r) => `<tr>${r.map((cell, i) => (i === 0 ? `<th scope="row">${cell}</th>` : `<td${c(i)}>${cell}</td>`)).join("")}</tr>`)
    .join("");
  return `<table${cls ? ` class="${cls}"` : ""}><caption>${esc(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Numeric classes for the given column indexes. */
function numeric(...indexes: number[]): ColumnClasses {
  return Object.fromEntries(indexes.map((i) => [i, "n"]));
}

/** An ISO timestamp as "YYYY-MM-DD HH:MM" (UTC, as in the reports), the full value kept in datetime. */
function time(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value);
  return m ? `<time datetime="${esc(value)}">${m[1]} ${m[2]}</time>` : esc(value);
}

function section(id: string, title: string, intro: string, content: string): string {
  return `<section aria-labelledby="h-${id}"><h2 id="h-${id}">${esc(title)}</h2><p>${esc(intro)}</p>${content}</section>`;
}

function jobSuccessSection(f: ReportFigures): { id: ChartId; html: string; marks: number } {
  const byAccount = new Map<string, { failed: number; finished: number; completed: number; jobs: number }>();
  for (const r of f.jobsByAccountDay) {
    const t = byAccount.get(r.accountId) ?? { failed: 0, finished: 0, completed: 0, jobs: 0 };
    t.failed += r.failedJobs;
    t.finished += r.finishedJobs;
    t.completed += r.completedJobs;
    t.jobs += r.jobs;
    byAccount.set(r.accountId, t);
  }
  // Worst accounts first: the reader's question is "who fails".
  const accounts = [...byAccount.keys()].sort(
    (a, b) => byAccount.get(b)!.failed - byAccount.get(a)!.failed || a.localeCompare(b),
  );
  const days = dayAxis(f.jobsByAccountDay.map((r) => r.day));
  const cells = f.jobsByAccountDay.map((r) => {
    const rate = percent(r.completedJobs, r.finishedJobs);
    const unfinished = r.jobs - r.finishedJobs;
    const running = unfinished > 0 ? `, ${unfinished} not finished` : "";
    return {
      row: r.accountId,
      column: r.day,
      colorClass: rate === null ? "bu" : `b${successBin(rate)}`,
      title:
        rate === null
          ? `${r.accountId}, ${r.day}: ${r.jobs} job(s), none finished`
          : `${r.accountId}, ${r.day}: ${r.completedJobs} of ${r.finishedJobs} finished jobs completed (${rate} %)${running}`,
    };
  });
  const chart =
    cells.length === 0
      ? null
      : heatMap({
          label: `Heat map of backup job success rate per account (rows, ${accounts.length}) and day (columns, ${days.length})`,
          rows: accounts,
          columns: days,
          columnLabels: days.map((d) => d.slice(5)),
          cells,
        });
  const cell = new Map(f.jobsByAccountDay.map((r) => [`${r.accountId}|${r.day}`, r]));
  const pivot = table(
    "Completed / finished backup jobs per account and day (+n: jobs not finished yet); last column: the period",
    ["Account", ...days.map((d) => d.slice(5)), "Period"],
    accounts.map((a) => {
      const t = byAccount.get(a)!;
      const rate = percent(t.completed, t.finished);
      return [
        esc(a),
        ...days.map((d) => {
          const r = cell.get(`${a}|${d}`);
          if (r === undefined) return "";
          const unfinished = r.jobs - r.finishedJobs;
          return `${r.completedJobs}/${r.finishedJobs}${unfinished > 0 ? ` +${unfinished}` : ""}`;
        }),
        `${t.completed}/${t.finished}${rate === null ? "" : ` (${rate} %)`}`,
      ];
    }),
    {},
    "pivot",
  );
  const key = legend([
    ...SUCCESS_BINS.map((b, i) => ({ cls: `b${i}`, label: b.label })),
    { cls: "bu", label: "no finished job yet" },
  ]);
  const html = section(
    "job-success",
    "Backup job success per account and day",
    "Share of finished backup jobs that completed, per account and UTC day the jobs were created. Accounts with the most failed jobs come first; a blank cell is a day without jobs.",
    figure("job-success", "Backup job success rate per account and day", chart, key, pivot, "No backup jobs in the period."),
  );
  return { id: "job-success", html, marks: chart?.marks ?? 0 };
}

/** The most frequent categories get their own colour; the rest share "Other" (the table keeps them apart). */
function topCategories(totals: Map<string, number>): string[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, CATEGORY_COLORS.length)
    .map(([name]) => name);
}

function failuresByRegionTypeSection(f: ReportFigures): { id: ChartId; html: string; marks: number } {
  const typeTotals = new Map<string, number>();
  const regionTotals = new Map<string, number>();
  for (const r of f.failuresByRegionType) {
    typeTotals.set(typeName(r.resourceType), (typeTotals.get(typeName(r.resourceType)) ?? 0) + r.failedJobs);
    regionTotals.set(r.region, (regionTotals.get(r.region) ?? 0) + r.failedJobs);
  }
  const coloured = topCategories(typeTotals);
  const colourOf = (type: string): string => {
    const i = coloured.indexOf(type);
    return i < 0 ? "co" : `c${i}`;
  };
  const allTypes = [...typeTotals.keys()].sort((a, b) => typeTotals.get(b)! - typeTotals.get(a)! || a.localeCompare(b));
  const regions = [...regionTotals.keys()].sort((a, b) => regionTotals.get(b)! - regionTotals.get(a)! || a.localeCompare(b));
  const group: BarGroup = {
    label: null,
    rows: regions.map((region) => {
      const rows = f.failuresByRegionType.filter((r) => r.region === region);
      const segments = [...coloured, null].map((type) => {
        const matching = rows.filter((r) => (type === null ? !coloured.includes(typeName(r.resourceType)) : typeName(r.resourceType) === type));
        const value = matching.reduce((n, r) => n + r.failedJobs, 0);
        const label = type ?? `other types (${matching.map((r) => typeName(r.resourceType)).join(", ")})`;
        return { value, colorClass: type === null ? "co" : colourOf(type), title: `${region}, ${label}: ${value} failed job(s)` };
      });
      return { label: region, segments };
    }),
  };
  const chart =
    f.failuresByRegionType.length === 0
      ? null
      : horizontalBars({
          label: `Bar chart of failed backup jobs per Region (${regions.length}), stacked by resource type`,
          groups: [group],
          axisLabel: "failed backup jobs",
        });
  const key = legend([
    ...coloured.map((t) => ({ cls: colourOf(t), label: t })),
    ...(allTypes.length > coloured.length ? [{ cls: "co", label: otherLabel(allTypes.filter((t) => !coloured.includes(t))) }] : []),
  ]);
  const matrix = new Map(f.failuresByRegionType.map((r) => [`${r.region}|${typeName(r.resourceType)}`, r.failedJobs]));
  const numbers = table(
    "Failed backup jobs per Region (rows) and resource type (columns)",
    ["Region", ...allTypes, "Total"],
    regions.map((region) => [
      esc(region),
      ...allTypes.map((t) => String(matrix.get(`${region}|${t}`) ?? 0)),
      String(regionTotals.get(region)),
    ]),
    numeric(...allTypes.map((_, i) => i + 1), allTypes.length + 1),
  );
  const html = section(
    "failures-region-type",
    "Failures by Region and resource type",
    "Backup jobs whose latest state is FAILED, ABORTED, EXPIRED or PARTIAL, per Region, split by resource type.",
    figure("failures-region-type", "Failed backup jobs by Region and resource type", chart, key, numbers, "No failed backup job in the period."),
  );
  return { id: "failures-region-type", html, marks: chart?.marks ?? 0 };
}

function otherLabel(types: readonly string[]): string {
  return types.length <= 3 ? `other: ${types.join(", ")}` : `${types.length} other types`;
}

function typeName(resourceType: string): string {
  return resourceType === "" ? "(no type)" : resourceType;
}

function nonComplianceSection(f: ReportFigures): { id: ChartId; html: string; marks: number } {
  const unknown = "OU unknown (no job report of the account in the period)";
  const ous = new Map<string, typeof f.nonCompliance>();
  for (const r of f.nonCompliance) {
    const ou = r.ouId ?? unknown;
    ous.set(ou, [...(ous.get(ou) ?? []), r]);
  }
  const total = (rows: typeof f.nonCompliance): number => rows.reduce((n, r) => n + r.nonCompliantControls, 0);
  const ouOrder = [...ous.keys()].sort((a, b) => (a === unknown ? 1 : b === unknown ? -1 : total(ous.get(b)!) - total(ous.get(a)!) || a.localeCompare(b)));
  const groups: BarGroup[] = ouOrder.map((ou) => {
    const rows = [...ous.get(ou)!].sort((a, b) => b.nonCompliantControls - a.nonCompliantControls || a.accountId.localeCompare(b.accountId));
    return {
      label: `${ou}: ${total(rows)} control(s)`,
      rows: rows.map((r) => ({
        label: r.accountId,
        segments: [{ value: r.nonCompliantControls, colorClass: "c3", title: `${ou}, account ${r.accountId}: ${r.nonCompliantControls} non-compliant control(s), ${r.nonCompliantResources} non-compliant resource(s)` }],
      })),
    };
  });
  const withControls = f.nonCompliance.filter((r) => r.nonCompliantControls > 0).length;
  const chart =
    withControls === 0
      ? null
      : horizontalBars({
          label: `Bar chart of non-compliant controls per account (${f.nonCompliance.length}), grouped by OU (${ouOrder.length})`,
          groups,
          axisLabel: "non-compliant controls",
        });
  const numbers = table(
    "Non-compliant controls and resources per OU and account",
    ["OU", "Account", "Non-compliant controls", "Non-compliant resources", "Path to root"],
    ouOrder.flatMap((ou) =>
      ous.get(ou)!.map((r) => [esc(ou), esc(r.accountId), String(r.nonCompliantControls), String(r.nonCompliantResources), esc(r.pathToRoot ?? "")]),
    ),
    numeric(2, 3),
  );
  const html = section(
    "non-compliance",
    "Non-compliant controls per OU and account",
    "Controls whose latest evaluation is NON_COMPLIANT, per account, under the OU the account's job reports place it in. The table adds the non-compliant resources of the resource compliance report.",
    figure("non-compliance", "Non-compliant controls per OU and account", chart, legend([{ cls: "c3", label: "non-compliant controls" }]), numbers, "No non-compliant control in the period."),
  );
  return { id: "non-compliance", html, marks: chart?.marks ?? 0 };
}

function copyRestoreSection(f: ReportFigures): { id: ChartId; html: string; marks: number } {
  const days = dayAxis(f.copyRestoreByDay.map((r) => r.day));
  const count = (day: string, kind: "copy" | "restore"): number =>
    f.copyRestoreByDay.filter((r) => r.day === day && r.kind === kind).reduce((n, r) => n + r.failedJobs, 0);
  const columns: Column[] = days.map((day) => ({
    label: day.slice(5),
    segments: [
      { value: count(day, "copy"), colorClass: "c0", title: `${day}: ${count(day, "copy")} failed copy job(s)` },
      { value: count(day, "restore"), colorClass: "c3", title: `${day}: ${count(day, "restore")} failed restore job(s)` },
    ],
  }));
  const chart =
    f.copyRestoreByDay.length === 0
      ? null
      : stackedColumns({
          label: `Column chart of failed copy and restore jobs per day (${days.length} days)`,
          columns,
          axisLabel: "failed jobs per UTC day the job was created",
        });
  const activeDays = days.filter((d) => count(d, "copy") + count(d, "restore") > 0);
  const numbers = table(
    "Failed copy and restore jobs per day (days without failures left out)",
    ["Day", "Copy", "Restore"],
    activeDays.map((d) => [esc(d), String(count(d, "copy")), String(count(d, "restore"))]),
    numeric(1, 2),
  );
  const recent =
    f.recentCopyRestoreFailures.length === 0
      ? ""
      : table(
          `The ${f.recentCopyRestoreFailures.length} most recent failed copy and restore jobs (at most ${f.topN})`,
          ["Created", "Kind", "Status", "Account", "Region", "Resource type", "Resource ARN", "Job id"],
          f.recentCopyRestoreFailures.map((r) => [
            time(r.creationDate),
            esc(r.kind),
            esc(r.status),
            esc(r.accountId),
            esc(r.region),
            esc(r.resourceType || "–"),
            `<code>${esc(r.resourceArn)}</code>`,
            `<code>${esc(r.jobId)}</code>`,
          ]),
          { 6: "arn" },
        );
  const html = section(
    "copy-restore",
    "Copy and restore failures",
    "Copy jobs ending FAILED, ABORTED or PARTIAL and restore jobs ending FAILED or ABORTED, per UTC day they were created.",
    figure(
      "copy-restore",
      "Failed copy and restore jobs per day",
      chart,
      legend([
        { cls: "c0", label: "copy jobs" },
        { cls: "c3", label: "restore jobs" },
      ]),
      numbers,
      "No failed copy or restore job in the period.",
    ) + recent,
  );
  return { id: "copy-restore", html, marks: chart?.marks ?? 0 };
}

function worstResourcesSection(f: ReportFigures): string {
  const content =
    f.worstResources.length === 0
      ? '<p class="empty">No resource with a failed job in the period.</p>'
      : `<div class="scroll">${table(
          `The ${f.worstResources.length} resources with the most failed jobs (at most ${f.topN})`,
          ["#", "Resource ARN", "Account", "Region", "Type", "Failed jobs", "Backup", "Copy", "Restore", "Last failure", "Last backup message"],
          f.worstResources.map((r) => [
            String(r.rank),
            `<code>${esc(r.resourceArn)}</code>`,
            esc(r.accountId),
            esc(r.region),
            esc(r.resourceType || "–"),
            String(r.failedJobs),
            String(r.failedBackupJobs),
            String(r.failedCopyJobs),
            String(r.failedRestoreJobs),
            time(r.lastFailure),
            esc(r.lastMessage),
          ]),
          { 1: "arn", 5: "n", 6: "n", 7: "n", 8: "n", 10: "wrap" },
        )}</div>`;
  return section(
    "worst-resources",
    "Worst resources",
    "Resources (by ARN) with the most failed backup, copy and restore jobs in the period.",
    content,
  );
}

function accountsWithoutBackupSection(f: ReportFigures): string {
  const rows = f.accountsWithoutCompletedBackup;
  const content =
    rows.length === 0
      ? '<p class="empty">Every account seen in the period has a completed backup job.</p>'
      : table(
          "Accounts seen in a report of the period without a completed backup job",
          ["Account", "Backup jobs in the period"],
          rows.map((r) => [esc(r.accountId), String(r.backupJobs)]),
          numeric(1),
        );
  return section(
    "accounts-without-backup",
    "Accounts without a completed backup",
    "Accounts that appear in any report of the period (jobs or compliance) but have no COMPLETED backup job in it.",
    content,
  );
}

/** Listing every file of a large bucket would outweigh the page; beyond this many the list is cut. */
const MAX_LISTED_FILES = 500;

function coverageSection(doc: ReportDocument): string {
  const { figures, source } = doc;
  const coverage = table(
    "Rows read per report table",
    ["Table", "Rows", "Delivery days", "First day", "Last day"],
    figures.coverage.map((c) => [esc(c.tableName), formatCount(c.rowCount), String(c.deliveryDays), esc(c.firstDay), esc(c.lastDay)]),
    numeric(1, 2),
  );
  const requested = `Requested period: ${figures.period.from ?? "first delivery"} to ${figures.period.to ?? "last delivery"}.`;
  let files = "";
  if (source.kind === "local") {
    const listed = source.files.slice(0, MAX_LISTED_FILES);
    const more = source.files.length - listed.length;
    files =
      `<details><summary>The ${formatCount(source.files.length)} report file(s) of the period</summary>` +
      table(
        `Files under ${source.folder}${more > 0 ? ` (first ${MAX_LISTED_FILES}; ${formatCount(more)} more not listed)` : ""}`,
        ["Key", "Table", "Delivery day", "Rows"],
        listed.map((file) => [`<code>${esc(file.key)}</code>`, esc(file.tableName), esc(file.deliveryDay), formatCount(file.rows)]),
        numeric(3),
      ) +
      "</details>";
  } else {
    files =
      `<details><summary>The ${source.queryExecutionIds.length} Athena query executions</summary><ul>` +
      source.queryExecutionIds.map((id) => `<li><code>${esc(id)}</code></li>`).join("") +
      "</ul></details>";
  }
  return section("coverage", "What this report covers", `${requested} ${sourceText(source)}`, coverage + files);
}
