/** Text into HTML or SVG: report values come from files anyone can write, so every one is escaped. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Integer with thousands separators (fixed locale: the page must not depend on the machine's). */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** A number of SVG user units, at most one decimal (keeps the markup short). */
export function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}
