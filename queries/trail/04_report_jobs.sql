-- name: trail_report_jobs
-- description: Audit Manager report jobs started and completed since a day, with their state (did the daily reports run?).
-- param: since_day — first delivery day to read, yyyy/MM/dd (partition `timestamp`)
SELECT
  account,
  awsregion AS region,
  eventtime,
  eventname,
  serviceeventdetails.reportjobid AS report_job_id,
  serviceeventdetails.state AS state,
  serviceeventdetails.statusmessage AS status_message
FROM cloudtrail_logs
WHERE "timestamp" >= ?
  AND eventsource = 'backup.amazonaws.com'
  AND eventname IN ('ReportJobStarted', 'ReportJobCompleted')
ORDER BY eventtime, account, report_job_id
