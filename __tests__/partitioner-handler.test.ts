import {
  AccessDeniedException,
  BatchCreatePartitionCommand,
  GetTableCommand,
  GlueClient,
  ThrottlingException,
  type StorageDescriptor,
} from "@aws-sdk/client-glue";
import { Logger } from "@aws-lambda-powertools/logger";
import { mockClient } from "aws-sdk-client-mock";
import { createHandler, type PartitionerDeps } from "../lambdas/partitioner/handler";
import { configFromEnv } from "../lambdas/partitioner/config";
import {
  TableDescriptorCache,
  createPartitions,
  isRetryableGlueError,
  withRetry,
} from "../lambdas/partitioner/glue-partitions";
import { defaultReportTables } from "../reports/report-tables";
import { FIXTURE_EVENT as fixtureEvent } from "./partitioner-fixtures";

const BUCKET = "acme-org-backup-reports-111122223333";
const LOCATION = `s3://${BUCKET}/BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/`;
const VALUES = ["crossaccount", "crossregion", "2026", "03", "15", "org_backup_job_report"];

const TABLE_SD: StorageDescriptor = {
  Columns: [{ Name: "report_time_period_start", Type: "string" }],
  Location: `s3://${BUCKET}/BackupJob/Backup/`,
  InputFormat: "org.apache.hadoop.mapred.TextInputFormat",
  OutputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
  SerdeInfo: {
    SerializationLibrary: "org.apache.hadoop.hive.serde2.OpenCSVSerde",
    Parameters: { separatorChar: ",", quoteChar: '"', escapeChar: "\\" },
  },
};

const glueMock = mockClient(GlueClient);

function eventFor(key: string, bucket = BUCKET): unknown {
  return { ...fixtureEvent, detail: { ...fixtureEvent.detail, bucket: { name: bucket }, object: { ...fixtureEvent.detail.object, key } } };
}

function setup() {
  const logger = new Logger({ serviceName: "test", logLevel: "SILENT" });
  const logs = {
    info: jest.spyOn(logger, "info"),
    warn: jest.spyOn(logger, "warn"),
    debug: jest.spyOn(logger, "debug"),
    error: jest.spyOn(logger, "error"),
  };
  const sleeps: number[] = [];
  const deps: PartitionerDeps = {
    glue: new GlueClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } }),
    logger,
    config: configFromEnv({
      GLUE_DATABASE: "backup_reports",
      REPORT_TABLES: JSON.stringify(defaultReportTables()),
      REPORTS_BUCKET: BUCKET,
    }),
    hooks: { sleep: async (ms) => void sleeps.push(ms) },
  };
  return { handler: createHandler(deps), logs, sleeps };
}

beforeEach(() => {
  glueMock.reset();
  glueMock.on(GetTableCommand).resolves({
    Table: { Name: "backup_job_report", DatabaseName: "backup_reports", StorageDescriptor: TABLE_SD },
  });
});

describe("partitioner handler", () => {
  test("creates the partition for the fixture event with the table's StorageDescriptor", async () => {
    glueMock.on(BatchCreatePartitionCommand).resolves({ Errors: [] });
    const { handler, logs } = setup();
    const result = await handler(fixtureEvent);
    expect(result).toEqual({
      outcome: "created",
      key: fixtureEvent.detail.object.key,
      template: "BACKUP_JOB_REPORT",
      tableName: "backup_job_report",
      partition: {
        delivery_scope: "crossaccount",
        delivery_region: "crossregion",
        year: "2026",
        month: "03",
        day: "15",
        report_plan: "org_backup_job_report",
      },
      location: LOCATION,
    });
    expect(glueMock.commandCalls(GetTableCommand)[0].args[0].input).toEqual({
      DatabaseName: "backup_reports",
      Name: "backup_job_report",
    });
    const calls = glueMock.commandCalls(BatchCreatePartitionCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toEqual({
      DatabaseName: "backup_reports",
      TableName: "backup_job_report",
      PartitionInputList: [{ Values: VALUES, StorageDescriptor: { ...TABLE_SD, Location: LOCATION } }],
    });
    expect(logs.info).toHaveBeenCalledWith(
      "partition created",
      expect.objectContaining({ key: fixtureEvent.detail.object.key, template: "BACKUP_JOB_REPORT", outcome: "created" }),
    );
  });

  test("per-entry AlreadyExistsException is success", async () => {
    glueMock.on(BatchCreatePartitionCommand).resolves({
      Errors: [{ PartitionValues: VALUES, ErrorDetail: { ErrorCode: "AlreadyExistsException", ErrorMessage: "exists" } }],
    });
    const { handler, logs } = setup();
    const result = await handler(eventFor(fixtureEvent.detail.object.key.replace("_1.csv", "_2.csv")));
    expect(result.outcome).toBe("already-exists");
    expect(logs.error).not.toHaveBeenCalled();
  });

  test("percent-encoded key is decoded before parsing", async () => {
    glueMock.on(BatchCreatePartitionCommand).resolves({});
    const { handler } = setup();
    const result = await handler(eventFor(fixtureEvent.detail.object.key.replace(/:/g, "%3A")));
    expect(result).toMatchObject({ outcome: "created", key: fixtureEvent.detail.object.key, location: LOCATION });
  });

  test("throttled (thrown, then per entry) is retried with backoff, then succeeds", async () => {
    glueMock
      .on(BatchCreatePartitionCommand)
      .rejectsOnce(new ThrottlingException({ message: "Rate exceeded", $metadata: {} }))
      .resolvesOnce({
        Errors: [{ PartitionValues: VALUES, ErrorDetail: { ErrorCode: "ThrottlingException", ErrorMessage: "slow down" } }],
      })
      .resolves({ Errors: [] });
    const { handler, sleeps, logs } = setup();
    const result = await handler(fixtureEvent);
    expect(result.outcome).toBe("created");
    expect(glueMock.commandCalls(BatchCreatePartitionCommand)).toHaveLength(3);
    expect(sleeps).toEqual([100, 100]);
    expect(logs.warn).toHaveBeenCalledWith("retrying Glue call", expect.objectContaining({ error: "ThrottlingException" }));
  });

  test("persistent throttling gives up after 5 attempts and throws", async () => {
    glueMock.on(BatchCreatePartitionCommand).rejects(new ThrottlingException({ message: "Rate exceeded", $metadata: {} }));
    const { handler, sleeps } = setup();
    await expect(handler(fixtureEvent)).rejects.toThrow("Rate exceeded");
    expect(glueMock.commandCalls(BatchCreatePartitionCommand)).toHaveLength(5);
    expect(sleeps).toEqual([100, 200, 400, 800]);
  });

  test("access denied is rethrown without retry (Lambda retries, then the DLQ keeps the event)", async () => {
    glueMock
      .on(BatchCreatePartitionCommand)
      .rejects(new AccessDeniedException({ message: "not authorized to perform glue:BatchCreatePartition", $metadata: {} }));
    const { handler, logs } = setup();
    await expect(handler(fixtureEvent)).rejects.toThrow(/not authorized/);
    expect(glueMock.commandCalls(BatchCreatePartitionCommand)).toHaveLength(1);
    expect(logs.error).toHaveBeenCalledWith("partition registration failed", expect.objectContaining({ outcome: "failed" }));
  });

  test("per-entry non-retryable error is thrown", async () => {
    glueMock.on(BatchCreatePartitionCommand).resolves({
      Errors: [{ PartitionValues: VALUES, ErrorDetail: { ErrorCode: "InvalidInputException", ErrorMessage: "bad" } }],
    });
    const { handler } = setup();
    await expect(handler(fixtureEvent)).rejects.toThrow(/InvalidInputException bad/);
  });

  test("GetTable failure throws and is not cached", async () => {
    glueMock.on(GetTableCommand).rejectsOnce(new AccessDeniedException({ message: "denied", $metadata: {} }));
    glueMock.on(BatchCreatePartitionCommand).resolves({});
    const { handler } = setup();
    await expect(handler(fixtureEvent)).rejects.toThrow("denied");
    glueMock.on(GetTableCommand).resolves({ Table: { Name: "backup_job_report", StorageDescriptor: TABLE_SD } });
    await expect(handler(fixtureEvent)).resolves.toMatchObject({ outcome: "created" });
  });

  test("non-report keys make no Glue call and log at debug", async () => {
    const { handler, logs } = setup();
    for (const key of [
      "BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/manifest.json",
      "BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/",
      "Unrelated/file.csv",
    ]) {
      const result = await handler(eventFor(key));
      expect(result.outcome).toBe("ignored-key");
    }
    expect(glueMock.calls()).toHaveLength(0);
    expect(logs.debug).toHaveBeenCalledTimes(3);
    expect(logs.error).not.toHaveBeenCalled();
  });

  test("a CSV under a report prefix with an unexpected layout is ignored with a warning", async () => {
    const { handler, logs } = setup();
    const key = fixtureEvent.detail.object.key.replace("/03/15/", "/13/15/");
    await expect(handler(eventFor(key))).resolves.toEqual({ outcome: "ignored-key", key, reason: "malformed-date" });
    expect(glueMock.calls()).toHaveLength(0);
    expect(logs.debug).not.toHaveBeenCalled();
    expect(logs.warn).toHaveBeenCalledWith(
      "ignoring CSV under a report prefix with an unexpected key layout",
      expect.objectContaining({ key, reason: "malformed-date", outcome: "ignored-key" }),
    );
  });

  test("foreign events and other buckets are ignored", async () => {
    const { handler } = setup();
    await expect(handler({ source: "aws.backup", "detail-type": "Backup Job State Change", detail: {} })).resolves.toMatchObject({
      outcome: "ignored-event",
    });
    await expect(handler({ ...fixtureEvent, "detail-type": "Object Deleted" })).resolves.toMatchObject({ outcome: "ignored-event" });
    await expect(handler("not an event")).resolves.toMatchObject({ outcome: "ignored-event" });
    await expect(handler({ ...fixtureEvent, detail: { bucket: { name: BUCKET } } })).resolves.toMatchObject({
      outcome: "ignored-event",
    });
    await expect(handler(eventFor(fixtureEvent.detail.object.key, "someone-elses-bucket"))).resolves.toMatchObject({
      outcome: "ignored-event",
    });
    expect(glueMock.calls()).toHaveLength(0);
  });

  test("GetTable is cached across invocations per table", async () => {
    glueMock.on(BatchCreatePartitionCommand).resolves({});
    const { handler } = setup();
    await handler(fixtureEvent);
    await handler(eventFor(fixtureEvent.detail.object.key.replace("/15/", "/16/")));
    await handler(
      eventFor("CopyJob/Backup/crossaccount/crossregion/2026/03/15/p/copy_job_report_p_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.csv"),
    );
    const getTables = glueMock.commandCalls(GetTableCommand).map((c) => c.args[0].input.Name);
    expect(getTables).toEqual(["backup_job_report", "copy_job_report"]);
    expect(glueMock.commandCalls(BatchCreatePartitionCommand)).toHaveLength(3);
  });
});

describe("glue-partitions", () => {
  test("batches of at most 100 and per-entry outcomes", async () => {
    const partitions = Array.from({ length: 250 }, (_, i) => ({
      values: ["crossaccount", "crossregion", "2026", "03", "15", `plan_${i}`],
      location: `s3://b/p/plan_${i}/`,
    }));
    glueMock.on(BatchCreatePartitionCommand).callsFake((input: { PartitionInputList: Array<{ Values: string[] }> }) => ({
      Errors: input.PartitionInputList.filter((p) => Number(p.Values[5].slice(5)) % 10 === 0).map((p) => ({
        PartitionValues: p.Values,
        ErrorDetail: { ErrorCode: "AlreadyExistsException" },
      })),
    }));
    const result = await createPartitions(new GlueClient({ region: "us-east-1" }), {
      database: "db",
      tableName: "t",
      storageDescriptor: TABLE_SD,
      partitions,
    });
    const sizes = glueMock.commandCalls(BatchCreatePartitionCommand).map((c) => c.args[0].input.PartitionInputList!.length);
    expect(sizes).toEqual([100, 100, 50]);
    expect(result.created).toHaveLength(225);
    expect(result.alreadyExisted).toHaveLength(25);
  });

  test("retry classification", async () => {
    expect(isRetryableGlueError(new ThrottlingException({ message: "x", $metadata: {} }))).toBe(true);
    expect(isRetryableGlueError({ name: "OperationTimeoutException" })).toBe(true);
    expect(isRetryableGlueError({ name: "Whatever", $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isRetryableGlueError(new AccessDeniedException({ message: "x", $metadata: {} }))).toBe(false);
    expect(isRetryableGlueError({ name: "EntityNotFoundException", $metadata: { httpStatusCode: 400 } })).toBe(false);
    let n = 0;
    const sleeps: number[] = [];
    await expect(
      withRetry(
        "op",
        async () => {
          n++;
          if (n < 3) throw { name: "OperationTimeoutException" };
          return "ok";
        },
        { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 15 },
        { sleep: async (ms) => void sleeps.push(ms) },
      ),
    ).resolves.toBe("ok");
    expect(sleeps).toEqual([10, 15]);
  });
});

describe("partitioner config", () => {
  test("missing environment fails loudly", () => {
    expect(() => configFromEnv({})).toThrow("GLUE_DATABASE is not set");
    expect(() => configFromEnv({ GLUE_DATABASE: "db" })).toThrow("REPORT_TABLES is not set");
    expect(configFromEnv({ GLUE_DATABASE: "db", REPORT_TABLES: '[{"template":"BACKUP_JOB_REPORT","keyPrefix":"reports/BackupJob/","tableName":"t"}]' })).toEqual({
      database: "db",
      tables: [{ template: "BACKUP_JOB_REPORT", keyPrefix: "reports/BackupJob", tableName: "t" }],
      reportsBucket: null,
    });
  });
});

describe("table descriptor cache", () => {
  test("entries expire after the TTL", async () => {
    let now = 0;
    const cache = new TableDescriptorCache(new GlueClient({ region: "us-east-1" }), "db", undefined, {}, 1000, () => now);
    await cache.get("backup_job_report");
    now = 999;
    await cache.get("backup_job_report");
    expect(glueMock.commandCalls(GetTableCommand)).toHaveLength(1);
    now = 1000;
    await expect(cache.get("backup_job_report")).resolves.toEqual(TABLE_SD);
    expect(glueMock.commandCalls(GetTableCommand)).toHaveLength(2);
  });
});

describe("index.handler (Lambda entry, environment wiring)", () => {
  test("reads the environment on first use and writes one structured JSON log line per report", async () => {
    glueMock.on(BatchCreatePartitionCommand).resolves({});
    const saved = { ...process.env };
    Object.assign(process.env, {
      GLUE_DATABASE: "backup_reports",
      REPORT_TABLES: JSON.stringify([{ template: "BACKUP_JOB_REPORT", keyPrefix: "BackupJob", tableName: "backup_job_report" }]),
      REPORTS_BUCKET: BUCKET,
      POWERTOOLS_SERVICE_NAME: "backup-audit-partitioner",
      POWERTOOLS_LOG_LEVEL: "INFO",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "x",
      AWS_SECRET_ACCESS_KEY: "y",
    });
    let out = "";
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { handler } = require("../lambdas/partitioner/index") as typeof import("../lambdas/partitioner/index");
      await expect(handler(fixtureEvent)).resolves.toMatchObject({ outcome: "created", location: LOCATION });
    } finally {
      spy.mockRestore();
      process.env = saved;
    }
    expect(glueMock.commandCalls(BatchCreatePartitionCommand)[0].args[0].input.DatabaseName).toBe("backup_reports");
    const lines = out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "INFO",
      message: "partition created",
      service: "backup-audit-partitioner",
      key: fixtureEvent.detail.object.key,
      template: "BACKUP_JOB_REPORT",
      tableName: "backup_job_report",
      partition: { delivery_scope: "crossaccount", day: "15", report_plan: "org_backup_job_report" },
      location: LOCATION,
      part: 1,
      outcome: "created",
    });
  });
});
