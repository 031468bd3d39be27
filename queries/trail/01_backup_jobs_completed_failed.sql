-- name: trail_jobs_completed_failed
-- description: Backup, copy and restore jobs whose completion event (CloudTrail) carries a failed state, since a day.
-- param: since_day — first delivery day to read, yyyy/MM/dd (partition `timestamp`, e.g. 2026/11/01)
--
-- AWS Backup records BackupJobCompleted, CopyJobCompleted and RestoreCompleted as service events
-- (eventtype AwsServiceEvent) in the account and Region of the job; the state is in serviceeventdetails.
SELECT
  account,
  awsregion AS region,
  eventtime,
  eventname,
  serviceeventdetails.state AS state,
  COALESCE(serviceeventdetails.backupjobid, serviceeventdetails.copyjobid, serviceeventdetails.restorejobid) AS job_id,
  serviceeventdetails.resourcearn AS resource_arn,
  serviceeventdetails.backupvaultname AS backup_vault_name,
  serviceeventdetails.statusmessage AS status_message
FROM cloudtrail_logs
WHERE "timestamp" >= ?
  AND eventsource = 'backup.amazonaws.com'
  AND eventname IN ('BackupJobCompleted', 'CopyJobCompleted', 'RestoreCompleted')
  AND serviceeventdetails.state IN ('FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL')
ORDER BY eventtime, account, job_id
