import { CATEGORY_COLORS, OTHER_COLOR, SUCCESS_BINS, UNFINISHED_COLOR } from "./palette";

/**
 * The page's one style sheet, inline. System fonts only (no font file to fetch). Colour classes are shared by
 * SVG marks (fill) and HTML legend swatches (background): b<i> success bins, bu unfinished, c<i> categories,
 * co "other".
 */
export function styleSheet(): string {
  const colour = (cls: string, value: string): string => `.${cls}{fill:${value};background:${value}}`;
  const colours = [
    ...SUCCESS_BINS.map((bin, i) => colour(`b${i}`, bin.color)),
    colour("bu", UNFINISHED_COLOR),
    ...CATEGORY_COLORS.map((c, i) => colour(`c${i}`, c)),
    colour("co", OTHER_COLOR),
  ].join("");
  return `
:root{color-scheme:light;--ink:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#ffffff;--panel:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:36px 0 6px;padding-top:12px;border-top:1px solid var(--line)}
p{margin:6px 0}
.meta{color:var(--muted)}
.meta strong{color:var(--ink)}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin:20px 0 8px;padding:0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin:0}
.card dt{color:var(--muted);font-size:13px}
.card dd{margin:2px 0 0;font-size:26px;font-weight:650}
.card dd small{display:block;font-size:12px;font-weight:400;color:var(--muted)}
.card.alert dd{color:#a4262c}
figure{margin:12px 0 0}
figcaption{font-weight:600;margin-bottom:6px}
.scroll{overflow-x:auto}
svg.chart{display:block;max-width:none}
svg.chart text{font-size:11px;fill:var(--ink)}
svg.chart .axis line{stroke:#8c959f}
svg.chart .grid line{stroke:#eaeef2}
svg.chart text.group{font-weight:600}
svg.chart text.value,svg.chart text.title{fill:var(--muted)}
svg.chart .mark{stroke:none}
svg.chart .mark:hover{stroke:#000;stroke-width:1.5}
svg.chart .bu{stroke:#8c959f;stroke-width:.5}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;margin:8px 0;font-size:13px}
.legend li{display:flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:14px;height:14px;border-radius:2px;border:1px solid rgba(0,0,0,.25)}
details{margin:8px 0}
summary{cursor:pointer;color:#0550ae}
table{border-collapse:collapse;margin:6px 0;font-size:13px}
caption{text-align:left;color:var(--muted);padding:4px 0;caption-side:top}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600}
td{white-space:nowrap}
td.wrap{white-space:normal;min-width:18em}
td.arn{white-space:normal;min-width:26em;overflow-wrap:anywhere}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
table.pivot td{text-align:center;white-space:nowrap;padding:2px 4px}
.empty{color:var(--muted);font-style:italic}
footer{margin-top:40px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
@media print{summary{display:none}details>*{display:block}}
${colours}
`.trim();
}
