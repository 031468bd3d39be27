-- name: trail_vault_notification_policy_changes
-- description: Changes to backup vault notifications, access policies and locks since a day, with who made them.
-- param: since_day — first delivery day to read, yyyy/MM/dd (partition `timestamp`)
SELECT
  account,
  awsregion AS region,
  eventtime,
  eventname,
  requestparameters.backupvaultname AS backup_vault_name,
  requestparameters.snstopicarn AS sns_topic_arn,
  useridentity.arn AS changed_by,
  errorcode AS error_code
FROM cloudtrail_logs
WHERE "timestamp" >= ?
  AND eventsource = 'backup.amazonaws.com'
  AND eventname IN (
    'PutBackupVaultNotifications',
    'DeleteBackupVaultNotifications',
    'PutBackupVaultAccessPolicy',
    'DeleteBackupVaultAccessPolicy',
    'PutBackupVaultLockConfiguration',
    'DeleteBackupVaultLockConfiguration'
  )
ORDER BY eventtime, account, backup_vault_name
