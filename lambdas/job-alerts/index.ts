// Lambda entry (`index.handler` in lambdas/job-alerts/dist/index.js, bundled by scripts/bundle-lambdas.ts).
import { SNSClient } from "@aws-sdk/client-sns";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { configFromEnv } from "./config";
import { createHandler } from "./handler";

const logger = new Logger();
const metrics = new Metrics();
const config = configFromEnv(process.env);
const inner = createHandler({ sns: new SNSClient({}), logger, metrics, config });

export const handler: typeof inner = async (event, context) => {
  try {
    return await inner(event, context);
  } finally {
    metrics.publishStoredMetrics();
  }
};
