import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chromium, type Browser, type Page } from "playwright-core";
import { generateReportsBucket } from "../../bench/reports-bucket";
import { CHART_IDS, type ChartId } from "../../dashboard/html";
import { CATEGORY_COLORS, SUCCESS_BINS } from "../../dashboard/palette";
import { runReport } from "../helpers/run-report";
import { buildTestBucket } from "../queries-fixture-bucket";

// The report page in a real browser: Debian's Chromium (scripts/ensure-chromium.sh puts its path in CHROMIUM)
// driven by playwright-core. The page must render every chart with the marks the data calls for, load
// nothing, log no error, and expose names and tables to assistive technology. The screenshot of a generated
// 25-account month goes to dist/report-screenshot.png, or to docs/report-screenshot.png (the README's) with
// UPDATE_SCREENSHOT=1.

const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const REPO = path.resolve(__dirname, "..", "..");
let browser: Browser;
let work: string;

beforeAll(async () => {
  if (!fs.existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}: run scripts/ensure-chromium.sh (npm run test:browser does)`);
  }
  browser = await chromium.launch({ executablePath });
  work = fs.mkdtempSync(path.join(os.tmpdir(), "backup-audit-browser-"));
});
afterAll(async () => {
  await browser?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

async function buildPage(reports: string, file: string, now: string): Promise<string> {
  const r = await runReport({ reports, out: file }, { now: () => new Date(now) });
  if (r.code !== 0) throw new Error(`backup-audit report failed (${r.code}): ${r.stderr}`);
  return file;
}

interface Opened {
  readonly page: Page;
  readonly problems: string[];
}

/** Opens the file with every console error, page error and network request recorded as a problem. */
async function open(file: string, viewport = { width: 1240, height: 900 }): Promise<Opened> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (r.url() !== `file://${file}`) problems.push(`request: ${r.url()}`);
  });
  await page.goto(`file://${file}`, { waitUntil: "load" });
  return { page, problems };
}

/** Marks drawn per chart, counted in the DOM, each with a rendered (non-empty) box and a palette fill. */
async function renderedMarks(page: Page): Promise<Record<ChartId, number>> {
  const counts = {} as Record<ChartId, number>;
  for (const id of CHART_IDS) {
    counts[id] = await page.locator(`figure[data-chart="${id}"] svg .mark`).evaluateAll((marks) => {
      for (const mark of marks) {
        const box = (mark as SVGGraphicsElement).getBBox();
        if (!(box.width > 0 && box.height > 0)) throw new Error(`mark without a box: ${mark.outerHTML}`);
      }
      return marks.length;
    });
  }
  return counts;
}

function rgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

describe("the report page in Chromium", () => {
  test("fixture bucket: no error, no request, every chart with the fixture's marks, names and tables", async () => {
    const bucket = buildTestBucket();
    try {
      const file = await buildPage(bucket, path.join(work, "fixtures.html"), "2026-03-17T08:00:00Z");
      const { page, problems } = await open(file);
      try {
        // Fixture data (see __tests__/report-command.test.ts): 7 account-days with jobs; 6 Region/type pairs
        // with failures; 3 accounts with non-compliant controls in the latest snapshot (a 4th, 123412341234, has
        // only a non-compliant resource: a table row, no bar); 3 day/kind pairs of copy or restore failures.
        expect(await renderedMarks(page)).toEqual({ "job-success": 7, "failures-region-type": 6, "non-compliance": 3, "copy-restore": 3 });

        // The style sheet applied: marks carry the palette's colours, not the default black.
        const fills = await page.locator('figure[data-chart="job-success"] svg .mark').evaluateAll((marks) =>
          marks.map((m) => getComputedStyle(m).fill),
        );
        expect(new Set(fills)).toEqual(new Set([rgb(SUCCESS_BINS[0].color), rgb(SUCCESS_BINS[1].color), rgb(SUCCESS_BINS[4].color)]));
        const typeFills = await page.locator('figure[data-chart="failures-region-type"] svg .mark').evaluateAll((marks) =>
          marks.map((m) => getComputedStyle(m).fill),
        );
        expect(typeFills.every((f) => CATEGORY_COLORS.map(rgb).includes(f))).toBe(true);

        // Accessible names: each chart an image with a name, each figure a caption, each chart's table named.
        await expect(page.getByRole("img", { name: /^Heat map of backup job success rate per account \(rows, 6\) and day \(columns, 2\)$/ }).count()).resolves.toBe(1);
        await expect(page.getByRole("img", { name: /^Bar chart of failed backup jobs per Region \(2\)/ }).count()).resolves.toBe(1);
        await expect(page.getByRole("img", { name: /^Bar chart of non-compliant controls per account/ }).count()).resolves.toBe(1);
        await expect(page.getByRole("img", { name: /^Column chart of failed copy and restore jobs per day/ }).count()).resolves.toBe(1);
        for (const id of CHART_IDS) {
          const figure = page.locator(`figure[data-chart="${id}"]`);
          const caption = await figure.locator("figcaption").innerText();
          await expect(page.getByRole("figure", { name: caption, exact: true }).count()).resolves.toBe(1);
          await expect(figure.getByRole("table", { includeHidden: true }).count()).resolves.toBe(1);
        }
        await expect(page.getByRole("table", { name: "Failed backup jobs per Region (rows) and resource type (columns)", includeHidden: true }).count()).resolves.toBe(1);

        // The numbers are one click away: opening "Numbers for this chart" shows the table.
        const details = page.locator('figure[data-chart="non-compliance"] details');
        await details.locator("summary").click();
        await expect(details.getByRole("table").isVisible()).resolves.toBe(true);
        await expect(details.getByRole("row", { name: /ou-ab12-sec33333 999900001111 1 1/ }).count()).resolves.toBe(1);

        // What the page covers.
        await expect(page.locator("header").innerText()).resolves.toMatch(/Period: 2026-03-15 – 2026-03-16 \(report delivery days, inclusive\)\. Source: 12 report file\(s\) under /);
        await expect(page.getByRole("heading", { level: 2 }).allInnerTexts()).resolves.toEqual([
          "Headline figures",
          "Backup job success per account and day",
          "Failures by Region and resource type",
          "Non-compliant controls per OU and account",
          "Copy and restore failures",
          "Worst resources",
          "Accounts without a completed backup",
          "What this report covers",
        ]);
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    } finally {
      fs.rmSync(bucket, { recursive: true, force: true });
    }
  });

  test("a generated month of 25 accounts: the marks the renderer drew, nothing wider than the page but the scroll boxes; screenshot", async () => {
    generateReportsBucket(path.join(work, "reports"), { days: 30, accounts: 25, backupJobsPerDay: 250, copyJobsPerDay: 60, restoreJobsPerDay: 8, firstDay: "2026-03-01" });
    // Named relative, as a user types it (`aws s3 sync s3://bucket ./reports`): the page shows the name given.
    const cwd = process.cwd();
    process.chdir(work);
    let file: string;
    try {
      file = await buildPage("./reports", path.join(work, "demo.html"), "2026-03-31T07:00:00Z");
    } finally {
      process.chdir(cwd);
    }
    const { page, problems } = await open(file, { width: 1100, height: 1300 });
    try {
      const marks = await renderedMarks(page);
      // 24 accounts run backups (the generator's last one runs none), each delivery's jobs created the day
      // before it: 30 creation days, and every account has jobs every day, so the heat map is full.
      expect(marks["job-success"]).toBe(24 * 30);
      expect(marks["failures-region-type"]).toBeGreaterThan(5);
      expect(marks["copy-restore"]).toBeGreaterThan(30);
      const html = fs.readFileSync(file, "utf8");
      for (const id of CHART_IDS) {
        const start = html.indexOf(`<figure id="fig-${id}"`);
        const figure = html.slice(start, html.indexOf("</figure>", start));
        expect([id, (figure.match(/<rect class="mark /g) ?? []).length]).toEqual([id, marks[id]]);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
      await expect(page.locator("header").innerText()).resolves.toMatch(/Source: 180 report file\(s\) under \.\/reports\./);
      const target = process.env.UPDATE_SCREENSHOT === "1" ? path.join(REPO, "docs", "report-screenshot.png") : path.join(REPO, "dist", "report-screenshot.png");
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await page.screenshot({ path: target });
      expect(fs.statSync(target).size).toBeGreaterThan(20_000);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
