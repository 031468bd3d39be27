import { escapeHtml, formatCount, px } from "./markup";

/**
 * Inline SVG charts rendered on the server: no script, no font, no request at view time. Each data mark is
 * an element with class `mark` and a `<title>` (its numbers, shown on hover and read by screen readers);
 * colours come from CSS classes (dashboard/palette.ts via the page's style sheet). The SVG carries its
 * accessible name; the numbers are also in a table next to the chart (the page's job).
 */

export interface Chart {
  readonly svg: string;
  /** Number of data marks drawn, what a browser test counts. */
  readonly marks: number;
}

export interface HeatMapCell {
  readonly row: string;
  readonly column: string;
  readonly colorClass: string;
  readonly title: string;
}

export interface BarSegment {
  readonly value: number;
  readonly colorClass: string;
  readonly title: string;
}

export interface BarRow {
  readonly label: string;
  readonly segments: readonly BarSegment[];
}

export interface BarGroup {
  /** Heading above the group's bars; null for none. */
  readonly label: string | null;
  readonly rows: readonly BarRow[];
}

export interface Column {
  readonly label: string;
  readonly segments: readonly BarSegment[];
}

// Label widths are estimated, not measured (no browser at build time): 11 px text is about 6.6 px a character.
const CHAR_WIDTH = 6.6;
const PLOT_WIDTH = 760;

function textWidth(text: string): number {
  return Math.ceil(text.length * CHAR_WIDTH);
}

function svgOpen(label: string, width: number, height: number, className: string): string {
  return (
    `<svg class="chart ${className}" role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg" ` +
    `width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}">`
  );
}

function rect(x: number, y: number, w: number, h: number, colorClass: string, title: string): string {
  return (
    `<rect class="mark ${colorClass}" x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${px(h)}">` +
    `<title>${escapeHtml(title)}</title></rect>`
  );
}

function text(x: number, y: number, value: string, anchor: "start" | "middle" | "end", className = ""): string {
  const cls = className ? ` class="${className}"` : "";
  return `<text${cls} x="${px(x)}" y="${px(y)}" text-anchor="${anchor}">${escapeHtml(value)}</text>`;
}

/** Every `step`-th label, so that labels never overlap: `step` from the space each needs. */
function labelStep(slot: number, labelWidth: number): number {
  return Math.max(1, Math.ceil((labelWidth + 6) / slot));
}

/**
 * Axis for counts: integer ticks at a 1-2-5 step, about four of them, the top tick at or above `max`.
 */
export function countTicks(max: number): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? 10 * magnitude);
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= top; t += step) ticks.push(t);
  return ticks;
}

/** A grid of cells: rows × columns, one coloured cell per given (row, column); missing cells stay blank. */
export function heatMap(p: {
  readonly label: string;
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  /** Label above each column (e.g. MM-DD of a day); shown as space allows. */
  readonly columnLabels: readonly string[];
  readonly cells: readonly HeatMapCell[];
}): Chart {
  const labelWidth = Math.max(40, ...p.rows.map(textWidth)) + 10;
  const cellWidth = Math.max(6, Math.min(18, Math.floor(PLOT_WIDTH / Math.max(1, p.columns.length))));
  const cellHeight = p.rows.length > 60 ? 12 : 16;
  const top = 26;
  const width = labelWidth + p.columns.length * cellWidth + 12;
  const height = top + p.rows.length * cellHeight + 6;
  const rowIndex = new Map(p.rows.map((r, i) => [r, i]));
  const columnIndex = new Map(p.columns.map((c, i) => [c, i]));
  const parts = [svgOpen(p.label, width, height, "heatmap")];

  const step = labelStep(cellWidth, Math.max(0, ...p.columnLabels.map(textWidth)));
  parts.push('<g class="axis">');
  p.columnLabels.forEach((label, i) => {
    if (i % step === 0) parts.push(text(labelWidth + i * cellWidth, top - 8, label, "start"));
  });
  p.rows.forEach((row, i) => parts.push(text(labelWidth - 6, top + i * cellHeight + cellHeight * 0.72, row, "end")));
  parts.push("</g>");

  let marks = 0;
  for (const cell of p.cells) {
    const r = rowIndex.get(cell.row);
    const c = columnIndex.get(cell.column);
    if (r === undefined || c === undefined) throw new Error(`heat map cell outside the grid: ${cell.row} / ${cell.column}`);
    parts.push(rect(labelWidth + c * cellWidth, top + r * cellHeight, cellWidth - 1, cellHeight - 1, cell.colorClass, cell.title));
    marks++;
  }
  parts.push("</svg>");
  return { svg: parts.join(""), marks };
}

/** Horizontal bars, one per row, stacked from segments, optionally under group headings, on a count axis. */
export function horizontalBars(p: { readonly label: string; readonly groups: readonly BarGroup[]; readonly axisLabel: string }): Chart {
  const rows = p.groups.flatMap((g) => g.rows);
  const totals = rows.map((r) => r.segments.reduce((n, s) => n + s.value, 0));
  const ticks = countTicks(Math.max(0, ...totals));
  const top = ticks[ticks.length - 1];
  const labelWidth = Math.max(40, ...rows.map((r) => textWidth(r.label))) + 12;
  const plotWidth = 480;
  const rowHeight = 20;
  const headingHeight = 22;
  const scale = (v: number): number => (v / top) * plotWidth;
  const headings = p.groups.filter((g) => g.label !== null).length;
  const plotHeight = rows.length * rowHeight + headings * headingHeight;
  const width = labelWidth + plotWidth + 60;
  const height = 8 + plotHeight + 40;
  const parts = [svgOpen(p.label, width, height, "bars")];

  parts.push('<g class="grid">');
  for (const t of ticks) {
    const x = labelWidth + scale(t);
    parts.push(`<line x1="${px(x)}" y1="8" x2="${px(x)}" y2="${px(8 + plotHeight)}"/>`);
  }
  parts.push("</g>");

  let y = 8;
  let marks = 0;
  const body: string[] = [];
  for (const group of p.groups) {
    if (group.label !== null) {
      body.push(text(4, y + 15, group.label, "start", "group"));
      y += headingHeight;
    }
    for (const row of group.rows) {
      body.push(text(labelWidth - 8, y + 14, row.label, "end", "label"));
      let x = labelWidth;
      let total = 0;
      for (const segment of row.segments) {
        if (segment.value <= 0) continue;
        const w = scale(segment.value);
        body.push(rect(x, y + 3, w, rowHeight - 6, segment.colorClass, segment.title));
        x += w;
        total += segment.value;
        marks++;
      }
      body.push(text(x + 4, y + 14, formatCount(total), "start", "value"));
      y += rowHeight;
    }
  }
  parts.push(...body);
  parts.push(countAxisX(labelWidth, 8 + plotHeight, ticks, scale, p.axisLabel, plotWidth));
  parts.push("</svg>");
  return { svg: parts.join(""), marks };
}

function countAxisX(
  left: number,
  y: number,
  ticks: readonly number[],
  scale: (v: number) => number,
  axisLabel: string,
  plotWidth: number,
): string {
  const parts = ['<g class="axis">', `<line x1="${px(left)}" y1="${px(y)}" x2="${px(left + plotWidth)}" y2="${px(y)}"/>`];
  for (const t of ticks) parts.push(text(left + scale(t), y + 14, formatCount(t), "middle"));
  parts.push(text(left + plotWidth / 2, y + 30, axisLabel, "middle", "title"), "</g>");
  return parts.join("");
}

/** Vertical stacked columns over an ordered axis (days), with a count axis on the left. */
export function stackedColumns(p: { readonly label: string; readonly columns: readonly Column[]; readonly axisLabel: string }): Chart {
  const totals = p.columns.map((c) => c.segments.reduce((n, s) => n + s.value, 0));
  const ticks = countTicks(Math.max(0, ...totals));
  const top = ticks[ticks.length - 1];
  const left = 44;
  const slot = Math.max(6, Math.min(40, Math.floor(PLOT_WIDTH / Math.max(1, p.columns.length))));
  const barWidth = Math.max(4, Math.round(slot * 0.7));
  const plotHeight = 160;
  const plotTop = 10;
  const bottom = plotTop + plotHeight;
  const width = Math.max(360, left + p.columns.length * slot + 16);
  const height = bottom + 44;
  const scale = (v: number): number => (v / top) * plotHeight;
  const parts = [svgOpen(p.label, width, height, "columns")];

  parts.push('<g class="grid">');
  for (const t of ticks) {
    const y = bottom - scale(t);
    parts.push(`<line x1="${left}" y1="${px(y)}" x2="${px(width - 8)}" y2="${px(y)}"/>`);
  }
  parts.push("</g>");

  let marks = 0;
  p.columns.forEach((column, i) => {
    const x = left + i * slot + (slot - barWidth) / 2;
    let y = bottom;
    for (const segment of column.segments) {
      if (segment.value <= 0) continue;
      const h = scale(segment.value);
      y -= h;
      parts.push(rect(x, y, barWidth, h, segment.colorClass, segment.title));
      marks++;
    }
  });

  const step = labelStep(slot, Math.max(0, ...p.columns.map((c) => textWidth(c.label))));
  parts.push('<g class="axis">', `<line x1="${left}" y1="${bottom}" x2="${px(width - 8)}" y2="${bottom}"/>`);
  p.columns.forEach((column, i) => {
    if (i % step === 0) parts.push(text(left + i * slot + slot / 2, bottom + 14, column.label, "middle"));
  });
  for (const t of ticks) parts.push(text(left - 6, bottom - scale(t) + 4, formatCount(t), "end"));
  parts.push(text(left, bottom + 34, p.axisLabel, "start", "title"), "</g>");
  parts.push("</svg>");
  return { svg: parts.join(""), marks };
}
