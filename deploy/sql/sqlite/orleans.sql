-- =============================================================================
-- SocialCrm.Orleans - Orleans 10.4.2 ADO.NET schema and query catalogue
-- Dialect : SQLite (Orleans invariant "System.Data.SQLite", which Orleans maps
--           to Microsoft.Data.Sqlite's SqliteFactory). Needs SQLite >= 3.35
--           (RETURNING, ON CONFLICT upsert).
-- Contents: OrleansQuery catalogue, grain persistence, reminders.
--           No clustering tables: SQLite deployments use localhost clustering.
--
-- How this file is applied:
--   * It runs at every start-up, so every statement is idempotent
--     (CREATE ... IF NOT EXISTS, and an upsert for the catalogue rows so that
--     an edited query text replaces the stored one).
--   * The applier splits the file on lines that read exactly "-- go" and runs
--     each chunk as a single command.
--
-- Contract notes (from the 10.4.2 provider code):
--   * The providers bind parameters by bare name (GrainIdHash, ServiceId, ...);
--     the query texts refer to them as @Name. Do not rename them.
--   * Result columns are read by name (PayloadBinary, Version,
--     NewGrainStateVersion, GrainId, ...), except ClearStorageKey /
--     DeleteStorageKey (first column) and the single-boolean answers of the
--     reminder delete query (first and only column).
--   * PayloadBinary is always written and read as a byte[] (BLOB), whatever
--     serializer is configured (the default Orleans serializer stores JSON
--     text as UTF-8 bytes).
-- =============================================================================

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);
-- go

-- -----------------------------------------------------------------------------
-- Grain persistence (AddAdoNetGrainStorage)
--
-- A grain state row is identified by (ServiceId, GrainTypeString, GrainIdN0,
-- GrainIdN1, GrainIdExtensionString). Orleans also sends two 32-bit hashes
-- (GrainIdHash, GrainTypeHash) that lead the index so look-ups stay narrow;
-- the clear-text columns resolve any hash collision.
-- "GrainTypeString" is the state name given to [PersistentState(...)].
-- Version is the ETag: NULL ETag from Orleans means "no row expected".
-- -----------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            INTEGER NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdExtensionString TEXT    NULL,
    ServiceId              TEXT    NOT NULL,
    PayloadBinary          BLOB    NULL,
    ModifiedOn             TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    Version                INTEGER NOT NULL
);

-- One row per grain state. The two trailing expressions let a NULL key
-- extension and an empty-string extension stay distinct.
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Grain ON OrleansStorage
(
    GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId, GrainTypeString,
    COALESCE(GrainIdExtensionString, ''), (GrainIdExtensionString IS NULL)
);
-- go

-- ReadFromStorageKey: zero or one row (PayloadBinary, Version).
-- WriteToStorageKey : one row (NewGrainStateVersion) on success, no row on an
--                     ETag mismatch (Orleans then throws InconsistentStateException).
--                     Only one of the two statements can touch a row: the UPDATE
--                     needs a non-NULL ETag, the INSERT needs a NULL one.
-- ClearStorageKey   : keeps the row, drops the payload, bumps the version and
--                     returns the new version; no row on an ETag mismatch.
-- DeleteStorageKey  : used instead of ClearStorageKey when
--                     DeleteStateOnClear = true; removes the row and returns a
--                     value that differs from the old ETag.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', '
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS @GrainIdExtensionString;
'),
('WriteToStorageKey', '
UPDATE OrleansStorage
SET PayloadBinary = @PayloadBinary,
    ModifiedOn = CURRENT_TIMESTAMP,
    Version = Version + 1
WHERE @GrainStateVersion IS NOT NULL
  AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;

INSERT INTO OrleansStorage
    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
     GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
       @GrainIdExtensionString, @ServiceId, @PayloadBinary, CURRENT_TIMESTAMP, 1
WHERE @GrainStateVersion IS NULL
ON CONFLICT DO NOTHING
RETURNING Version AS NewGrainStateVersion;
'),
('ClearStorageKey', '
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = CURRENT_TIMESTAMP,
    Version = Version + 1
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
'),
('DeleteStorageKey', '
DELETE FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version + 1 AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS NOT excluded.QueryText;
-- go

-- -----------------------------------------------------------------------------
-- Reminders (UseAdoNetReminderService)
--
-- GrainId is GrainId.ToString(); GrainHash is the grain's uniform hash code
-- cast to a signed 32-bit integer; Period is in milliseconds (Orleans binds it
-- as a 32-bit value when it fits and as 64-bit otherwise); StartTime is UTC.
-- Version is the reminder ETag.
-- -----------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    TEXT    NOT NULL,
    GrainId      TEXT    NOT NULL,
    ReminderName TEXT    NOT NULL,
    StartTime    TEXT    NOT NULL,
    Period       INTEGER NOT NULL,
    GrainHash    INTEGER NOT NULL,
    Version      INTEGER NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_GrainHash
    ON OrleansRemindersTable (ServiceId, GrainHash);
-- go

-- Row-returning queries yield (GrainId, ReminderName, StartTime, Period, Version).
-- The ring range is (BeginHash, EndHash]: ReadRangeRows1Key is used when
-- BeginHash < EndHash as signed integers, ReadRangeRows2Key when the range
-- wraps around (or covers the whole ring).
-- UpsertReminderRowKey returns one row: the new Version.
-- DeleteReminderRowKey returns one row with one column: 1 if a row with the
-- given Version was removed, else 0.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowsKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
'),
('ReadReminderRowKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
'),
('ReadRangeRows1Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
'),
('ReadRangeRows2Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
'),
('UpsertReminderRowKey', '
INSERT INTO OrleansRemindersTable
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET StartTime = excluded.StartTime,
    Period = excluded.Period,
    GrainHash = excluded.GrainHash,
    Version = Version + 1
RETURNING Version;
'),
('DeleteReminderRowKey', '
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId
  AND ReminderName = @ReminderName AND Version = @Version;

SELECT changes() > 0;
'),
('DeleteReminderRowsKey', '
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS NOT excluded.QueryText;
