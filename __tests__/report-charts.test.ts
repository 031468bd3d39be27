import { countTicks, heatMap, horizontalBars, stackedColumns } from "../dashboard/charts";
import { dayAxis, isDay } from "../dashboard/days";
import { escapeHtml } from "../dashboard/markup";
import { SUCCESS_BINS, successBin } from "../dashboard/palette";

describe("chart primitives", () => {
  test("count axes: integer 1-2-5 steps, top tick at or above the maximum", () => {
    expect(countTicks(0)).toEqual([0, 1]);
    expect(countTicks(1)).toEqual([0, 1]);
    expect(countTicks(3)).toEqual([0, 1, 2, 3]);
    expect(countTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(countTicks(226)).toEqual([0, 100, 200, 300]);
    expect(countTicks(1000)).toEqual([0, 500, 1000]);
  });

  test("heat map: one mark per cell, placed by row and column, titles escaped; a cell off the grid is an error", () => {
    const chart = heatMap({
      label: "grid <1>",
      rows: ["a", "b"],
      columns: ["d1", "d2", "d3"],
      columnLabels: ["1", "2", "3"],
      cells: [
        { row: "a", column: "d1", colorClass: "b4", title: "a & d1" },
        { row: "b", column: "d3", colorClass: "b0", title: "b d3" },
      ],
    });
    expect(chart.marks).toBe(2);
    expect(chart.svg).toContain('aria-label="grid &lt;1&gt;"');
    expect(chart.svg).toMatch(/<rect class="mark b4" x="(\d+)" y="26" width="17" height="15"><title>a &amp; d1<\/title><\/rect>/);
    const x = (cls: string): number => Number(new RegExp(`class="mark ${cls}" x="(\\d+)"`).exec(chart.svg)![1]);
    expect(x("b0") - x("b4")).toBe(2 * 18);
    expect(() =>
      heatMap({ label: "", rows: ["a"], columns: ["d1"], columnLabels: ["1"], cells: [{ row: "z", column: "d1", colorClass: "b0", title: "" }] }),
    ).toThrow("heat map cell outside the grid: z / d1");
  });

  test("bars and columns: zero segments draw nothing, lengths are proportional", () => {
    const bars = horizontalBars({
      label: "bars",
      axisLabel: "n",
      groups: [
        { label: "g", rows: [{ label: "r1", segments: [{ value: 2, colorClass: "c0", title: "t" }, { value: 0, colorClass: "c1", title: "t" }] }] },
        { label: null, rows: [{ label: "r2", segments: [{ value: 4, colorClass: "c0", title: "t" }] }] },
      ],
    });
    expect(bars.marks).toBe(2);
    const widths = [...bars.svg.matchAll(/class="mark c0" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths[1]).toBeCloseTo(2 * widths[0], 5);
    const columns = stackedColumns({
      label: "cols",
      axisLabel: "n",
      columns: [
        { label: "a", segments: [{ value: 1, colorClass: "c0", title: "t" }, { value: 1, colorClass: "c3", title: "t" }] },
        { label: "b", segments: [{ value: 0, colorClass: "c0", title: "t" }] },
      ],
    });
    expect(columns.marks).toBe(2);
  });
});

describe("days, palette, escaping", () => {
  test("isDay accepts real calendar days only", () => {
    expect(isDay("2026-02-28")).toBe(true);
    expect(isDay("2028-02-29")).toBe(true);
    expect(isDay("2026-02-29")).toBe(false);
    expect(isDay("2026-3-01")).toBe(false);
    expect(isDay("")).toBe(false);
  });

  test("day axis fills gaps; a span over the limit keeps the given days; non-days go last", () => {
    expect(dayAxis(["2026-03-03", "2026-03-01", "2026-03-03"])).toEqual(["2026-03-01", "2026-03-02", "2026-03-03"]);
    expect(dayAxis(["2020-01-01", "2026-03-01"], 400)).toEqual(["2020-01-01", "2026-03-01"]);
    expect(dayAxis(["x", "2026-03-01"])).toEqual(["2026-03-01", "x"]);
  });

  test("success bins: the lower bound belongs to the bin", () => {
    expect([0, 49.9, 50, 74.9, 75, 90, 99.9, 100].map(successBin)).toEqual([0, 0, 1, 1, 2, 3, 3, 4]);
    expect(SUCCESS_BINS.map((b) => b.min)).toEqual([0, 50, 75, 90, 100]);
  });

  test("escapeHtml escapes the five characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
