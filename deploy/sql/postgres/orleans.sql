-- =============================================================================
-- SocialCrm.Orleans - Orleans 10.4.2 ADO.NET schema and query catalogue
-- Dialect : PostgreSQL (Orleans invariant "Npgsql").
-- Contents: OrleansQuery catalogue, grain persistence, clustering
--           (membership), reminders.
--
-- How this file is applied:
--   * It runs at every start-up, possibly from several nodes at the same
--     moment, so everything is idempotent. Table/index creation happens in
--     DO blocks that first take a transaction-scoped advisory lock: plain
--     CREATE TABLE IF NOT EXISTS can still fail with a duplicate-key error on
--     the system catalogue when two sessions race.
--   * Catalogue rows are upserted (ON CONFLICT (QueryKey) DO UPDATE), so an
--     edited query text here replaces the stored one on the next start-up.
--     Query texts are dollar-quoted ($q$ ... $q$).
--   * The applier splits the file on lines that read exactly "-- go" and runs
--     each chunk as a single command.
--   * No stored functions are used; every query is a single statement (CTEs
--     where several changes must happen atomically) except
--     DeleteMembershipTableEntriesKey, which is two statements that Npgsql
--     sends as one implicit transaction.
--
-- Contract notes (from the 10.4.2 provider code):
--   * The providers bind parameters by bare name; queries use @Name. Npgsql
--     types them from the DbType Orleans sets (Int32 -> integer, Int64 ->
--     bigint, String/AnsiString -> text, Binary -> bytea, DateTime ->
--     timestamptz, which requires DateTimeKind.Utc values - Orleans sends UTC).
--   * Result columns are read by name, case-insensitively (PostgreSQL folds
--     unquoted aliases to lower case, Npgsql falls back to a case-insensitive
--     match), except ClearStorageKey/DeleteStorageKey (first column) and the
--     single-boolean answers (first and only column).
-- =============================================================================

DO $ddl$
BEGIN
    PERFORM pg_advisory_xact_lock(5072130211001);

    CREATE TABLE IF NOT EXISTS OrleansQuery
    (
        QueryKey  varchar(64) NOT NULL,
        QueryText text        NOT NULL,
        CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
    );
END
$ddl$;
-- go

-- -----------------------------------------------------------------------------
-- Grain persistence (AddAdoNetGrainStorage)
--
-- A grain state row is identified by (ServiceId, GrainTypeString, GrainIdN0,
-- GrainIdN1, GrainIdExtensionString). Orleans also sends two 32-bit hashes
-- (GrainIdHash, GrainTypeHash) that lead the index so look-ups stay narrow;
-- the clear-text columns resolve hash collisions.
-- "GrainTypeString" is the state name given to [PersistentState(...)].
-- Version is the ETag; a NULL ETag from Orleans means "no row expected".
-- PayloadBinary must be bytea: Orleans always passes and reads a byte[]
-- (the default serializer produces UTF-8 JSON bytes).
-- The unique index makes a racing first write fail cleanly (ON CONFLICT DO
-- NOTHING -> no row returned -> InconsistentStateException in Orleans).
-- -----------------------------------------------------------------------------
DO $ddl$
BEGIN
    PERFORM pg_advisory_xact_lock(5072130211001);

    CREATE TABLE IF NOT EXISTS OrleansStorage
    (
        GrainIdHash            integer      NOT NULL,
        GrainIdN0              bigint       NOT NULL,
        GrainIdN1              bigint       NOT NULL,
        GrainTypeHash          integer      NOT NULL,
        GrainTypeString        varchar(512) NOT NULL,
        GrainIdExtensionString varchar(512) NULL,
        ServiceId              varchar(150) NOT NULL,
        PayloadBinary          bytea        NULL,
        ModifiedOn             timestamptz  NOT NULL DEFAULT now(),
        Version                integer      NOT NULL
    );

    -- The two trailing expressions keep a NULL key extension distinct from an
    -- empty-string one.
    CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Grain ON OrleansStorage
    (
        GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId, GrainTypeString,
        COALESCE(GrainIdExtensionString, ''), (GrainIdExtensionString IS NULL)
    );
END
$ddl$;
-- go

-- ReadFromStorageKey: zero or one row (PayloadBinary, Version).
-- WriteToStorageKey : one row (NewGrainStateVersion) on success, no row on an
--                     ETag mismatch. Exactly one of the two CTE branches can
--                     change a row: the UPDATE needs a non-NULL ETag, the
--                     INSERT a NULL one.
-- ClearStorageKey   : keeps the row, drops the payload, bumps and returns the
--                     version; no row on an ETag mismatch.
-- DeleteStorageKey  : used instead of ClearStorageKey when
--                     DeleteStateOnClear = true; removes the row and returns a
--                     value that differs from the old ETag.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $q$
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString;
$q$),
('WriteToStorageKey', $q$
WITH changed AS
(
    UPDATE OrleansStorage
    SET PayloadBinary = @PayloadBinary,
        ModifiedOn = now(),
        Version = Version + 1
    WHERE @GrainStateVersion IS NOT NULL
      AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
      AND Version = @GrainStateVersion
    RETURNING Version
),
created AS
(
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
         GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
           @GrainIdExtensionString, @ServiceId, @PayloadBinary, now(), 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version
)
SELECT Version AS NewGrainStateVersion FROM changed
UNION ALL
SELECT Version AS NewGrainStateVersion FROM created;
$q$),
('ClearStorageKey', $q$
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = now(),
    Version = Version + 1
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
$q$),
('DeleteStorageKey', $q$
DELETE FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version + 1 AS NewGrainStateVersion;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;
-- go

-- -----------------------------------------------------------------------------
-- Clustering / membership (UseAdoNetClustering)
--
-- DeploymentId is the ClusterId. One version row per cluster; every
-- membership change (insert/update of a silo row) must bump it atomically,
-- guarded by the version the silo last read (@Version). All silo rows are
-- returned with that single table version as their ETag.
-- Status values are Orleans SiloStatus: 3 = Active, 6 = Dead.
-- Timestamps are timestamptz(3); Orleans reads them back as UTC.
-- -----------------------------------------------------------------------------
DO $ddl$
BEGIN
    PERFORM pg_advisory_xact_lock(5072130211001);

    CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
    (
        DeploymentId varchar(150)   NOT NULL,
        LastModified timestamptz(3) NOT NULL DEFAULT now(),
        Version      integer        NOT NULL DEFAULT 0,
        CONSTRAINT PK_OrleansMembershipVersionTable PRIMARY KEY (DeploymentId)
    );

    CREATE TABLE IF NOT EXISTS OrleansMembershipTable
    (
        DeploymentId varchar(150)   NOT NULL,
        Address      varchar(45)    NOT NULL,
        Port         integer        NOT NULL,
        Generation   integer        NOT NULL,
        SiloName     varchar(150)   NOT NULL,
        HostName     varchar(150)   NOT NULL,
        Status       integer        NOT NULL,
        ProxyPort    integer        NULL,
        SuspectTimes varchar(8000)  NULL,
        StartTime    timestamptz(3) NOT NULL,
        IAmAliveTime timestamptz(3) NOT NULL,
        CONSTRAINT PK_OrleansMembershipTable
            PRIMARY KEY (DeploymentId, Address, Port, Generation),
        CONSTRAINT FK_OrleansMembershipTable_Version
            FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
    );
END
$ddl$;
-- go

-- InsertMembershipVersionKey    : one boolean - true if the version row was created now.
-- InsertMembershipKey           : one boolean - true if the table version still equalled
--                                 @Version, the silo row did not exist yet, and both the
--                                 version bump and the insert happened.
-- UpdateMembershipKey           : one boolean - true if the table version still equalled
--                                 @Version and the silo row was updated (with the bump).
-- UpdateIAmAlivetimeKey         : heartbeat; no result, no version bump.
-- MembershipReadRowKey/ReadAll  : always at least one row (the version row, LEFT JOINed
--                                 to the silo rows); columns DeploymentId, Address, Port,
--                                 Generation, SiloName, HostName, Status, ProxyPort,
--                                 SuspectTimes, StartTime, IAmAliveTime, Version.
-- GatewaysQueryKey              : Address, ProxyPort, Generation of active gateways.
-- DeleteMembershipTableEntriesKey: removes the whole cluster (rows and version row).
-- CleanupDefunctSiloEntryKey    : (optional key, preferred by 10.4.2 when present)
--                                 deletes one Dead row only if it is still exactly as
--                                 Orleans read it (captured StartTime, IAmAliveTime,
--                                 SuspectTimes). An empty SuspectTimes string and NULL
--                                 are treated as equal.
-- CleanupDefunctSiloEntriesKey  : (required key, used only if the optional one is
--                                 missing) deletes Dead rows whose start and last
--                                 heartbeat are both older than @IAmAliveTime.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $q$
WITH created AS
(
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*) = 1 FROM created;
$q$),
('InsertMembershipKey', $q$
WITH bumped AS
(
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1,
        LastModified = now()
    WHERE DeploymentId = @DeploymentId
      AND Version = @Version
      AND NOT EXISTS
      (
          SELECT 1 FROM OrleansMembershipTable
          WHERE DeploymentId = @DeploymentId AND Address = @Address
            AND Port = @Port AND Generation = @Generation
      )
    RETURNING DeploymentId
),
added AS
(
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName,
         Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
    SELECT b.DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
           @Status, @ProxyPort, NULL, @StartTime, @IAmAliveTime
    FROM bumped b
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT count(*) = 1 FROM added;
$q$),
('UpdateMembershipKey', $q$
WITH bumped AS
(
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1,
        LastModified = now()
    WHERE DeploymentId = @DeploymentId
      AND Version = @Version
      AND EXISTS
      (
          SELECT 1 FROM OrleansMembershipTable
          WHERE DeploymentId = @DeploymentId AND Address = @Address
            AND Port = @Port AND Generation = @Generation
      )
    RETURNING DeploymentId
),
changed AS
(
    UPDATE OrleansMembershipTable m
    SET Status = @Status,
        SuspectTimes = @SuspectTimes,
        IAmAliveTime = @IAmAliveTime
    FROM bumped b
    WHERE m.DeploymentId = b.DeploymentId AND m.Address = @Address
      AND m.Port = @Port AND m.Generation = @Generation
    RETURNING 1
)
SELECT count(*) = 1 FROM changed;
$q$),
('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address
  AND Port = @Port AND Generation = @Generation;
$q$),
('MembershipReadRowKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
       m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
$q$),
('MembershipReadAllKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
       m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
$q$),
('GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
$q$),
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
$q$),
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Address = @Address
  AND Port = @Port AND Generation = @Generation
  AND Status = 6
  AND StartTime = @StartTime AND IAmAliveTime = @IAmAliveTime
  AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$q$),
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = 6
  AND IAmAliveTime < @IAmAliveTime
  AND StartTime < @IAmAliveTime;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;
-- go

-- -----------------------------------------------------------------------------
-- Reminders (UseAdoNetReminderService)
--
-- GrainId is GrainId.ToString(); GrainHash is the grain's uniform hash code
-- cast to a signed 32-bit integer; Period is in milliseconds (Orleans binds it
-- as integer when it fits, bigint otherwise); StartTime is UTC.
-- Version is the reminder ETag.
-- -----------------------------------------------------------------------------
DO $ddl$
BEGIN
    PERFORM pg_advisory_xact_lock(5072130211001);

    CREATE TABLE IF NOT EXISTS OrleansRemindersTable
    (
        ServiceId    varchar(150)   NOT NULL,
        GrainId      varchar(300)   NOT NULL,
        ReminderName varchar(150)   NOT NULL,
        StartTime    timestamptz(3) NOT NULL,
        Period       bigint         NOT NULL,
        GrainHash    integer        NOT NULL,
        Version      integer        NOT NULL,
        CONSTRAINT PK_OrleansRemindersTable PRIMARY KEY (ServiceId, GrainId, ReminderName)
    );

    CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_GrainHash
        ON OrleansRemindersTable (ServiceId, GrainHash);
END
$ddl$;
-- go

-- Row-returning queries yield (GrainId, ReminderName, StartTime, Period, Version).
-- The ring range is (BeginHash, EndHash]: ReadRangeRows1Key is used when
-- BeginHash < EndHash as signed integers, ReadRangeRows2Key when the range
-- wraps around (or covers the whole ring).
-- UpsertReminderRowKey returns one row: the new Version.
-- DeleteReminderRowKey returns one boolean: true if the row with that Version was removed.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowsKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
$q$),
('ReadReminderRowKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
$q$),
('ReadRangeRows1Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
$q$),
('ReadRangeRows2Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
$q$),
('UpsertReminderRowKey', $q$
INSERT INTO OrleansRemindersTable
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET StartTime = EXCLUDED.StartTime,
    Period = EXCLUDED.Period,
    GrainHash = EXCLUDED.GrainHash,
    Version = OrleansRemindersTable.Version + 1
RETURNING Version;
$q$),
('DeleteReminderRowKey', $q$
WITH removed AS
(
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId
      AND ReminderName = @ReminderName AND Version = @Version
    RETURNING 1
)
SELECT count(*) > 0 FROM removed;
$q$),
('DeleteReminderRowsKey', $q$
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;
