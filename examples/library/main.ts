// A cdktf app that imports backup-audit-insights as a construct library: two landing zones, no YAML.
// The README shows this file; the consumer test (scripts/consumer-test.sh) compiles and synthesizes it.
import { App } from "cdktf";
import { LandingZone, type LandingZoneConfigInput } from "backup-audit-insights";

// What both landing zones share: the organization and where the credentials are.
const organization = {
  managementAccountId: "111122223333",
  organizationId: "o-abc123def4",
  homeRegion: "us-east-1",
  organization: {
    trustedAccess: ["backup.amazonaws.com", "cloudtrail.amazonaws.com", "member.org.stacksets.cloudformation.amazonaws.com"],
  },
} satisfies Partial<LandingZoneConfigInput>;

const app = new App();

// Production: reports for the whole organization (a StackSet puts the framework into the member accounts that
// the compliance reports aggregate), Athena analytics and an organization trail.
new LandingZone(app, "prod", {
  source: "main.ts",
  config: {
    ...organization,
    name: "acme-prod",
    tags: { owner: "platform-team" },
    reports: {
      bucketName: "acme-backup-reports-111122223333",
      accessLogBucketName: "acme-backup-reports-logs-111122223333",
      frameworks: [{ name: "acme_backup_baseline", controls: [{ name: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN" }] }],
      memberFrameworks: { regions: ["us-east-1"] },
    },
    auditTrail: {
      bucketName: "acme-backup-trail-111122223333",
      accessLogBucketName: "acme-backup-trail-logs-111122223333",
    },
  },
});

// Sandbox: two report templates for one OU, no analytics, no trail.
new LandingZone(app, "sandbox", {
  source: "main.ts",
  config: {
    ...organization,
    name: "acme-sandbox",
    reports: {
      bucketName: "acme-sandbox-reports-111122223333",
      accessLogBucketName: "acme-sandbox-reports-logs-111122223333",
      templates: ["BACKUP_JOB_REPORT", "RESTORE_JOB_REPORT"],
      scope: { organizationalUnits: ["ou-abcd-sandbox1"] },
    },
    analytics: { enabled: false },
  },
});

app.synth();
