import type https from "node:https";
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  DisableAWSServiceAccessCommand,
  EnableAWSServiceAccessCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListRootsCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { ConfigIds } from "./config-ids";

/** Static credentials for the emulator. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Where the emulator is and how to trust it. */
export interface EmulatorConnection {
  readonly endpoint: string;
  readonly agent: https.Agent;
  readonly region: string;
}

/** What the landing zone expects the organization to have before the first apply. */
export interface OrganizationSeedPlan {
  /** The landing zone's management account: the organization is created from it, the pipeline user lives in it. */
  readonly managementAccountId: string;
  /** The config's ids (accounts other than the management account become member accounts). */
  readonly ids: ConfigIds;
  /** Trusted-access principals enabled before the first apply. */
  readonly enabledTrustedAccess: readonly string[];
  /** The role the providers assume into target accounts (created in every member account). */
  readonly deploymentRoleName: string;
}

/** The seeded organization: the emulator's ids for the config's, and the pipeline's credentials. */
export interface SeededOrganization {
  readonly organizationId: string;
  /** Config id → emulator id, for accounts, OUs and the organization. */
  readonly idMap: Map<string, string>;
  /** An IAM user's access key in the management account: what the pipeline's credentials are in AWS. */
  readonly pipeline: Credentials;
  readonly organizations: OrganizationsClient;
}

// The emulator accepts any access key; this one acts in its default account, from which roles are assumed.
const BOOTSTRAP: Credentials = { accessKeyId: "AKIAREHEARSAL0000001", secretAccessKey: "rehearsal" };

function clientConfig(conn: EmulatorConnection, credentials: Credentials) {
  return { region: conn.region, endpoint: conn.endpoint, credentials, requestHandler: { httpsAgent: conn.agent } };
}

/** Credentials acting in `accountId`, through the role that AWS Organizations creates in every new account. */
async function actAs(conn: EmulatorConnection, accountId: string): Promise<Credentials> {
  const sts = new STSClient(clientConfig(conn, BOOTSTRAP));
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: "rehearsal-seed" }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`the emulator returned no credentials for account ${accountId}`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/**
 * Creates, through the emulator's API, the organization a landing zone expects: the organization (all features)
 * from the management account, one member account per other account id of the config, one OU under the root per
 * OU id, the trusted access the organization already has, the deployment role in every member account, and the
 * pipeline user whose access key the rehearsal's providers use.
 */
export async function seedOrganization(conn: EmulatorConnection, plan: OrganizationSeedPlan): Promise<SeededOrganization> {
  const management = await actAs(conn, plan.managementAccountId);
  const iam = new IAMClient(clientConfig(conn, management));
  await iam.send(new CreateUserCommand({ UserName: "backup-audit-pipeline" }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: "backup-audit-pipeline" }))).AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error("the emulator returned no access key for the pipeline user");
  const pipeline: Credentials = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };

  const organizations = new OrganizationsClient(clientConfig(conn, pipeline));
  const created = await organizations.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
  const organizationId = created.Organization?.Id;
  if (!organizationId) throw new Error("CreateOrganization returned no organization id");
  const idMap = new Map<string, string>();
  for (const id of plan.ids.organizations) idMap.set(id, organizationId);
  idMap.set(plan.managementAccountId, plan.managementAccountId);

  const rootId = (await organizations.send(new ListRootsCommand({}))).Roots?.[0]?.Id;
  if (!rootId) throw new Error("the emulator's organization has no root");
  for (const ou of plan.ids.organizationalUnits) {
    const made = await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: ou }));
    if (!made.OrganizationalUnit?.Id) throw new Error(`CreateOrganizationalUnit ${ou} returned no id`);
    idMap.set(ou, made.OrganizationalUnit.Id);
  }

  const trust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${plan.managementAccountId}:root` }, Action: "sts:AssumeRole" }],
  });
  for (const account of plan.ids.accounts) {
    if (account === plan.managementAccountId) continue;
    const status = (
      await organizations.send(new CreateAccountCommand({ AccountName: `member-${account}`, Email: `member-${account}@example.com` }))
    ).CreateAccountStatus;
    if (status?.State !== "SUCCEEDED" || !status.AccountId) throw new Error(`CreateAccount for ${account}: ${JSON.stringify(status)}`);
    idMap.set(account, status.AccountId);
    const memberIam = new IAMClient(clientConfig(conn, await actAs(conn, status.AccountId)));
    await memberIam.send(new CreateRoleCommand({ RoleName: plan.deploymentRoleName, AssumeRolePolicyDocument: trust }));
  }

  for (const principal of plan.enabledTrustedAccess) {
    await organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: principal }));
  }
  return { organizationId, idMap, pipeline, organizations };
}

/** The organization's trusted-access principals, as the emulator has them now. */
export async function enabledTrustedAccess(organizations: OrganizationsClient): Promise<string[]> {
  const out = await organizations.send(new ListAWSServiceAccessForOrganizationCommand({}));
  return (out.EnabledServicePrincipals ?? []).map((p) => p.ServicePrincipal ?? "").filter((p) => p !== "").sort();
}

export async function disableTrustedAccess(organizations: OrganizationsClient, principal: string): Promise<void> {
  await organizations.send(new DisableAWSServiceAccessCommand({ ServicePrincipal: principal }));
}

export async function enableTrustedAccess(organizations: OrganizationsClient, principal: string): Promise<void> {
  await organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: principal }));
}
