import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Child process of the data-path test that plays the Lambda runtime for the deployed partitioner:
 * `node partitioner-host.js <package dir> <handler> <events.json> <results.json>`. The environment is the
 * function's deployed variables plus what Lambda and the test add (credentials of the reports account, the
 * emulator as S3 endpoint, its CA in NODE_EXTRA_CA_CERTS, which Node reads only at start: hence a process).
 * Each event is one invocation, in order; a thrown error is recorded as the invocation's failure.
 */

interface Invocation {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

async function main(): Promise<void> {
  const [packageDir, handlerName, eventsFile, resultsFile] = process.argv.slice(2);
  if (!packageDir || !handlerName || !eventsFile || !resultsFile) throw new Error("usage: partitioner-host <package dir> <handler> <events.json> <results.json>");
  const [moduleName, exportName] = handlerName.split(".");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(packageDir, `${moduleName}.js`)) as Record<string, unknown>;
  const handler = mod[exportName ?? "handler"];
  if (typeof handler !== "function") throw new Error(`${moduleName}.js exports no function ${exportName}`);
  const events = JSON.parse(readFileSync(eventsFile, "utf8")) as unknown[];
  const results: Invocation[] = [];
  for (const [i, event] of events.entries()) {
    const context = {
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? "partitioner",
      awsRequestId: `e2e-${i}`,
      invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:000000000000:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
      memoryLimitInMB: "512",
      functionVersion: "$LATEST",
      getRemainingTimeInMillis: () => 60_000,
    };
    try {
      results.push({ ok: true, result: await (handler as (e: unknown, c: unknown) => Promise<unknown>)(event, context) });
    } catch (err) {
      results.push({ ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
  }
  writeFileSync(resultsFile, JSON.stringify(results));
}

main().catch((err: unknown) => {
  process.stderr.write(`partitioner-host: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(2);
});
