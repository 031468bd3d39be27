-- name: trail_deleted_recovery_points
-- description: Recovery points deleted since a day, and who deleted them (API calls) or that the lifecycle did (BackupDeleted).
-- param: since_day — first delivery day to read, yyyy/MM/dd (partition `timestamp`)
--
-- DeleteRecoveryPoint is an API call: useridentity names the caller, errorcode is set when it was refused.
-- BackupDeleted is AWS Backup's own service event (lifecycle expiry), invoked by the service.
SELECT
  account,
  awsregion AS region,
  eventtime,
  eventname,
  COALESCE(requestparameters.recoverypointarn, serviceeventdetails.recoverypointarn) AS recovery_point_arn,
  COALESCE(requestparameters.backupvaultname, serviceeventdetails.backupvaultname) AS backup_vault_name,
  useridentity.type AS identity_type,
  COALESCE(useridentity.arn, useridentity.invokedby) AS deleted_by,
  sourceipaddress AS source_ip,
  errorcode AS error_code
FROM cloudtrail_logs
WHERE "timestamp" >= ?
  AND eventsource = 'backup.amazonaws.com'
  AND eventname IN ('DeleteRecoveryPoint', 'BackupDeleted')
ORDER BY eventtime, account, recovery_point_arn
