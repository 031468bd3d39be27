// The consumer test's refused app: organization-wide reports in JSON, which AWS Backup refuses (BAI001).
import { App } from "cdktf";
import { LandingZone } from "backup-audit-insights";

const app = new App();
new LandingZone(app, "bad", {
  source: "bad-landing-zone.ts",
  config: {
    name: "acme-bad",
    managementAccountId: "111122223333",
    organizationId: "o-abc123def4",
    homeRegion: "us-east-1",
    organization: { trustedAccess: ["backup.amazonaws.com"] },
    reports: {
      bucketName: "acme-bad-reports-111122223333",
      accessLogBucketName: "acme-bad-reports-logs-111122223333",
      formats: ["JSON"],
    },
  },
});
app.synth();
