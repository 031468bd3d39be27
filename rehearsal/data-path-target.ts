import { readFileSync } from "node:fs";
import https from "node:https";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { loadLandingZoneFile } from "../config/loader";
import type { NormalizedLandingZone } from "../config/types";
import type { Credentials } from "./organization-seed";

/**
 * Where the data-path test finds the applied landing zone: the emulator (endpoint and the per-run CA), the
 * rehearsed config (the emulator's ids), the analytics stack's Terraform workspace, and the pipeline's keys.
 * Plain data, so that a run can also be written to a file and attached to (`--hold` / `--attach`).
 */
export interface DataPathTarget {
  readonly endpoint: string;
  readonly caFile: string;
  /** The rehearsed YAML (one landing zone). */
  readonly configFile: string;
  /** The analytics stack's workspace (the partitioner's package Terraform uploaded is in it). */
  readonly analyticsDir: string;
  readonly pipeline: Credentials;
  /** moto's server (its virtualenv's Python runs the emulator's EventBridge pattern matcher). */
  readonly motoServer: string;
}

/** SDK clients' common settings for the emulator. */
export interface EmulatorClientConfig {
  readonly region: string;
  readonly endpoint: string;
  readonly credentials: Credentials;
  readonly requestHandler: { readonly httpsAgent: https.Agent };
  readonly forcePathStyle: true;
}

export interface DataPathAccount {
  readonly target: DataPathTarget;
  readonly lz: NormalizedLandingZone;
  readonly agent: https.Agent;
  /** Credentials acting in the reports account (the deployment role, as the providers assume it). */
  readonly credentials: Credentials;
  readonly clientConfig: EmulatorClientConfig;
}

/** Credentials in the reports account and client settings for it. */
export async function reportsAccount(target: DataPathTarget): Promise<DataPathAccount> {
  const lz = await loadLandingZoneFile(target.configFile);
  const agent = new https.Agent({ ca: readFileSync(target.caFile, "utf8"), keepAlive: true });
  const region = lz.reports.region;
  const sts = new STSClient({ region, endpoint: target.endpoint, credentials: target.pipeline, requestHandler: { httpsAgent: agent } });
  const roleArn = `arn:aws:iam::${lz.reports.accountId}:role/${lz.deployment.roleName}`;
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "e2e-data-path" }));
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`the emulator returned no credentials for ${roleArn}`);
  const credentials: Credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  return {
    target,
    lz,
    agent,
    credentials,
    clientConfig: { region, endpoint: target.endpoint, credentials, requestHandler: { httpsAgent: agent }, forcePathStyle: true },
  };
}
