/**
 * The EventBridge `Object Created` event for a report object, copied verbatim from the shared fixtures
 * (`shared/fixtures/reports/s3-object-created-event.json`: envelope documented, values invented) so the
 * ingestion tests do not depend on a path outside the repository.
 */
export const FIXTURE_EVENT = 
{
  "version": "0",
  "id": "5f0c2a1e-8b7d-4c3a-9e21-6d4b7a9c0f13",
  "detail-type": "Object Created",
  "source": "aws.s3",
  "account": "111122223333",
  "time": "2026-03-15T03:17:42Z",
  "region": "us-east-1",
  "resources": [
    "arn:aws:s3:::acme-org-backup-reports-111122223333"
  ],
  "detail": {
    "version": "0",
    "event-version": "1.2",
    "bucket": {
      "name": "acme-org-backup-reports-111122223333"
    },
    "object": {
      "key": "BackupJob/Backup/crossaccount/crossregion/2026/03/15/org_backup_job_report/backup_job_report_org_backup_job_report_2026-03-14t00:00:00z_2026-03-15t00:00:00z_1.csv",
      "size": 48213,
      "etag": "9b2cf535f27731c974343645a3985328",
      "sequencer": "0067D4F2B61A3C9E11"
    },
    "request-id": "7QH3N2V8K1XJ4M5R",
    "requester": "111122223333",
    "source-ip-address": "192.0.2.44",
    "reason": "PutObject"
  }
} as const;

export const FIXTURE_KEY: string = FIXTURE_EVENT.detail.object.key;
export const FIXTURE_BUCKET: string = FIXTURE_EVENT.detail.bucket.name;
