import { buildProgram } from "../cli/index";

const KEY =
  "BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/backup_job_report_org_backup_job_report_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.csv";

/** Runs `backup-audit <args>` in-process through commander, capturing stdout, stderr and the exit code. */
async function run(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const previous = process.exitCode;
  process.exitCode = undefined;
  try {
    const program = buildProgram();
    program.exitOverride();
    await program.parseAsync(["node", "backup-audit", ...args]);
    return { stdout, stderr, code: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = previous;
    out.mockRestore();
    err.mockRestore();
  }
}

describe("backup-audit parse-key", () => {
  test("prints exact JSON for a report key and exits 0", async () => {
    const result = await run("parse-key", KEY);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      JSON.stringify({
        key: KEY,
        template: "BACKUP_JOB_REPORT",
        table: "backup_job_report",
        partition: {
          delivery_scope: "crossaccount",
          delivery_region: "crossregion",
          year: "2026",
          month: "03",
          day: "15",
          report_plan: "org_backup_job_report",
        },
        deliveryDate: "2026-03-15",
        normalized:
          "normalized/backup_job_report/delivery_date=2026-03-15/crossaccount.crossregion.org_backup_job_report." +
          "backup_job_report_org_backup_job_report_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.json.gz",
        fileName: "backup_job_report_org_backup_job_report_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.csv",
        part: 1,
        warnings: [],
      }) + "\n",
    );
  });

  test("--bucket gives the s3:// URL of the normalised copy, --prefix overrides a template prefix", async () => {
    const key =
      "org/copy/111122223333/us-east-1/2026/03/15/p/copy_job_report_p_2026-03-14t00%3A00%3A00z_2026-03-15t00%3A00%3A00z_2.csv";
    const result = await run("parse-key", key, "--prefix", "COPY_JOB_REPORT=org/copy/", "--bucket", "acme-reports");
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        key: key.replace(/%3A/g, ":"),
        template: "COPY_JOB_REPORT",
        table: "copy_job_report",
        partition: {
          delivery_scope: "111122223333",
          delivery_region: "us-east-1",
          year: "2026",
          month: "03",
          day: "15",
          report_plan: "p",
        },
        deliveryDate: "2026-03-15",
        normalized:
          "s3://acme-reports/normalized/copy_job_report/delivery_date=2026-03-15/111122223333.us-east-1.p." +
          "copy_job_report_p_2026-03-14t00:00:00z_2026-03-15t00:00:00z_2.json.gz",
        fileName: "copy_job_report_p_2026-03-14t00:00:00z_2026-03-15t00:00:00z_2.csv",
        part: 2,
        warnings: ["no Backup/ segment after the key prefix"],
      },
    ]);
  });

  test("processes every key, names rejected ones on stderr and exits 1", async () => {
    const manifest = "BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/manifest.json";
    const badDate = KEY.replace("/03/15/", "/02/30/");
    const result = await run("parse-key", manifest, KEY, badDate);
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(result.stdout).key).toBe(KEY);
    expect(result.stderr).toBe(
      `parse-key: ${JSON.stringify(manifest)}: not-csv: not a CSV file (multi-account/multi-Region reports are CSV)\n` +
        `parse-key: ${JSON.stringify(badDate)}: malformed-date: "2026/02/30" is not a calendar date\n`,
    );
  });

  test("an unknown template in --prefix is an error", async () => {
    await expect(run("parse-key", KEY, "--prefix", "NOPE=x")).rejects.toThrow(/TEMPLATE=prefix/);
  });
});
