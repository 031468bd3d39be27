import { parseSilenceRules, type SilenceRule } from "../../alerts/silence";

/**
 * The function's environment, set by the JobAlertHub construct: `TOPIC_ARN`, `LANDING_ZONE`, `ACCOUNT_NAMES`
 * (JSON object id → name), `DIGEST_WINDOW_SECONDS` (0: a message per job) and `CHAT_FORMAT` (`slack`: per-protocol
 * messages for AWS Chatbot) and `SILENCE` (known failures, alerts/silence.ts). Read once per container; a missing or malformed value throws, so a misconfiguration
 * shows as failed invocations (the queue's messages end in its dead-letter queue), never as silent drops.
 */
export interface JobAlertsConfig {
  readonly topicArn: string;
  readonly landingZone: string;
  readonly accountNames: Readonly<Record<string, string>>;
  readonly digestWindowSeconds: number;
  readonly chat: boolean;
  /** Known failures not to publish (SILENCE, JSON list). */
  readonly silence: readonly SilenceRule[];
}

export function configFromEnv(env: Readonly<Record<string, string | undefined>>): JobAlertsConfig {
  const topicArn = env.TOPIC_ARN;
  if (!topicArn || !topicArn.startsWith("arn:")) throw new Error(`TOPIC_ARN is not an SNS topic ARN: ${JSON.stringify(topicArn)}`);
  const landingZone = env.LANDING_ZONE;
  if (!landingZone) throw new Error("LANDING_ZONE is not set");
  let accountNames: Record<string, string> = {};
  if (env.ACCOUNT_NAMES) {
    const parsed: unknown = JSON.parse(env.ACCOUNT_NAMES);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === "string")) {
      throw new Error("ACCOUNT_NAMES is not a JSON object of account id → name");
    }
    accountNames = parsed as Record<string, string>;
  }
  const digest = Number(env.DIGEST_WINDOW_SECONDS ?? "0");
  if (!Number.isInteger(digest) || digest < 0) throw new Error(`DIGEST_WINDOW_SECONDS is not a whole number of seconds: ${env.DIGEST_WINDOW_SECONDS}`);
  return { topicArn, landingZone, accountNames, digestWindowSeconds: digest, chat: env.CHAT_FORMAT === "slack", silence: parseSilenceRules(env.SILENCE) };
}
