-- =============================================================================
-- SocialCrm.Orleans - Orleans 10.4.2 ADO.NET schema and query catalogue
-- Dialect : Microsoft SQL Server / Azure SQL (Orleans invariant
--           "Microsoft.Data.SqlClient"). Needs SQL Server 2012+ (THROW).
-- Contents: OrleansQuery catalogue, grain persistence, clustering
--           (membership), reminders.
--
-- How this file is applied:
--   * It runs at every start-up, possibly from several nodes at the same
--     moment, so everything is idempotent. Each DDL batch takes an exclusive
--     application lock (sp_getapplock, transaction-owned) and then creates
--     objects only when OBJECT_ID(...) says they are missing.
--   * Catalogue rows are upserted with MERGE ... WITH (HOLDLOCK), so an edited
--     query text here replaces the stored one on the next start-up.
--   * The applier splits the file on lines that read exactly "-- go" and runs
--     each chunk as a single command, i.e. one T-SQL batch per chunk.
--   * Object names are left unqualified (default schema), exactly like the
--     names inside the query texts.
--
-- Contract notes (from the 10.4.2 provider code):
--   * Parameters arrive as @Name with the DbType Orleans sets: String ->
--     NVARCHAR, AnsiString (Address, reminder GrainId) -> VARCHAR, Int32/Int64,
--     Binary -> VARBINARY, DateTime -> DATETIME (3.33 ms precision!); only the
--     per-row cleanup query gets StartTime/IAmAliveTime as DATETIME2. Columns
--     therefore use matching N/VARCHAR types (no implicit conversion on the
--     column side) and DATETIME2(3) for time stamps.
--   * Identity-bearing string columns use the case-sensitive
--     Latin1_General_BIN2 collation so that, as in PostgreSQL and SQLite,
--     keys differing only in letter case stay distinct.
--   * Result columns are read by name, except ClearStorageKey /
--     DeleteStorageKey (first column) and the single-boolean answers (first
--     and only column). Query texts therefore use SET NOCOUNT ON and produce
--     exactly one result set (or none for the pure writes).
--   * Locally DECLAREd variables inside query texts are lower-case (@ok,
--     @newVersion) so they never clash with an Orleans parameter name.
--   * Membership reads join the version row and the silo rows; they use
--     HOLDLOCK so that the version and the rows come from one consistent
--     moment even when READ_COMMITTED_SNAPSHOT is off.
-- =============================================================================

SET XACT_ABORT ON;
BEGIN TRANSACTION;
DECLARE @lockResult INT;
EXEC @lockResult = sp_getapplock
    @Resource = N'SocialCrm.Orleans.Schema', @LockMode = N'Exclusive',
    @LockOwner = N'Transaction', @LockTimeout = 60000;
IF @lockResult < 0
BEGIN
    THROW 51000, N'Could not obtain the Orleans schema application lock.', 1;
END;

IF OBJECT_ID(N'OrleansQuery', N'U') IS NULL
BEGIN
    CREATE TABLE OrleansQuery
    (
        QueryKey  VARCHAR(64)   NOT NULL,
        QueryText NVARCHAR(MAX) NOT NULL,
        CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
    );
END;
COMMIT TRANSACTION;
-- go

-- -----------------------------------------------------------------------------
-- Grain persistence (AddAdoNetGrainStorage)
--
-- A grain state row is identified by (ServiceId, GrainTypeString, GrainIdN0,
-- GrainIdN1, GrainIdExtensionString). Orleans also sends two 32-bit hashes
-- (GrainIdHash, GrainTypeHash) that form the (non-unique) clustered index;
-- the clear-text columns resolve hash collisions.
-- "GrainTypeString" is the state name given to [PersistentState(...)].
-- Version is the ETag; a NULL ETag from Orleans means "no row expected".
-- PayloadBinary must be VARBINARY: Orleans always passes and reads a byte[]
-- (the default serializer produces UTF-8 JSON bytes).
-- A unique index over the full key would exceed SQL Server's index key size,
-- so the first-write race is closed with UPDLOCK + HOLDLOCK (key-range lock
-- on the hash pair) in WriteToStorageKey instead.
-- -----------------------------------------------------------------------------
SET XACT_ABORT ON;
BEGIN TRANSACTION;
DECLARE @lockResult INT;
EXEC @lockResult = sp_getapplock
    @Resource = N'SocialCrm.Orleans.Schema', @LockMode = N'Exclusive',
    @LockOwner = N'Transaction', @LockTimeout = 60000;
IF @lockResult < 0
BEGIN
    THROW 51000, N'Could not obtain the Orleans schema application lock.', 1;
END;

IF OBJECT_ID(N'OrleansStorage', N'U') IS NULL
BEGIN
    CREATE TABLE OrleansStorage
    (
        GrainIdHash            INT            NOT NULL,
        GrainIdN0              BIGINT         NOT NULL,
        GrainIdN1              BIGINT         NOT NULL,
        GrainTypeHash          INT            NOT NULL,
        GrainTypeString        NVARCHAR(512)  COLLATE Latin1_General_BIN2 NOT NULL,
        GrainIdExtensionString NVARCHAR(512)  COLLATE Latin1_General_BIN2 NULL,
        ServiceId              NVARCHAR(150)  COLLATE Latin1_General_BIN2 NOT NULL,
        PayloadBinary          VARBINARY(MAX) NULL,
        ModifiedOn             DATETIME2(3)   NOT NULL
            CONSTRAINT DF_OrleansStorage_ModifiedOn DEFAULT SYSUTCDATETIME(),
        Version                INT            NOT NULL
    );

    CREATE CLUSTERED INDEX IX_OrleansStorage_Hashes
        ON OrleansStorage (GrainIdHash, GrainTypeHash);
END;
COMMIT TRANSACTION;
-- go

-- ReadFromStorageKey: zero or one row (PayloadBinary, Version).
-- WriteToStorageKey : one row (NewGrainStateVersion) on success, no row on an
--                     ETag mismatch. NULL ETag -> guarded INSERT, otherwise a
--                     version-checked UPDATE.
-- ClearStorageKey   : keeps the row, drops the payload, bumps and returns the
--                     version; no row on an ETag mismatch.
-- DeleteStorageKey  : used instead of ClearStorageKey when
--                     DeleteStateOnClear = true; removes the row and returns a
--                     value that differs from the old ETag.
MERGE OrleansQuery WITH (HOLDLOCK) AS target
USING
(
    VALUES
    ('ReadFromStorageKey', N'
SET NOCOUNT ON;
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND (GrainIdExtensionString = @GrainIdExtensionString
       OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL));
'),
    ('WriteToStorageKey', N'
SET NOCOUNT ON;
IF @GrainStateVersion IS NULL
BEGIN
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
         GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
    OUTPUT inserted.Version AS NewGrainStateVersion
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
           @GrainIdExtensionString, @ServiceId, @PayloadBinary, SYSUTCDATETIME(), 1
    WHERE NOT EXISTS
    (
        SELECT 1 FROM OrleansStorage WITH (UPDLOCK, HOLDLOCK)
        WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
          AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
          AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
          AND (GrainIdExtensionString = @GrainIdExtensionString
               OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
    );
END
ELSE
BEGIN
    UPDATE OrleansStorage
    SET PayloadBinary = @PayloadBinary,
        ModifiedOn = SYSUTCDATETIME(),
        Version = Version + 1
    OUTPUT inserted.Version AS NewGrainStateVersion
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
      AND (GrainIdExtensionString = @GrainIdExtensionString
           OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
      AND Version = @GrainStateVersion;
END;
'),
    ('ClearStorageKey', N'
SET NOCOUNT ON;
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = SYSUTCDATETIME(),
    Version = Version + 1
OUTPUT inserted.Version AS NewGrainStateVersion
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND (GrainIdExtensionString = @GrainIdExtensionString
       OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
  AND Version = @GrainStateVersion;
'),
    ('DeleteStorageKey', N'
SET NOCOUNT ON;
DELETE FROM OrleansStorage
OUTPUT deleted.Version + 1 AS NewGrainStateVersion
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND (GrainIdExtensionString = @GrainIdExtensionString
       OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
  AND Version = @GrainStateVersion;
')
) AS source (QueryKey, QueryText)
ON target.QueryKey = source.QueryKey
WHEN MATCHED AND target.QueryText COLLATE Latin1_General_BIN2 <> source.QueryText COLLATE Latin1_General_BIN2 THEN
    UPDATE SET QueryText = source.QueryText
WHEN NOT MATCHED BY TARGET THEN
    INSERT (QueryKey, QueryText) VALUES (source.QueryKey, source.QueryText);
-- go

-- -----------------------------------------------------------------------------
-- Clustering / membership (UseAdoNetClustering)
--
-- DeploymentId is the ClusterId. One version row per cluster; every
-- membership change (insert/update of a silo row) must bump it atomically,
-- guarded by the version the silo last read (@Version). All silo rows are
-- returned with that single table version as their ETag.
-- Status values are Orleans SiloStatus: 3 = Active, 6 = Dead.
-- -----------------------------------------------------------------------------
SET XACT_ABORT ON;
BEGIN TRANSACTION;
DECLARE @lockResult INT;
EXEC @lockResult = sp_getapplock
    @Resource = N'SocialCrm.Orleans.Schema', @LockMode = N'Exclusive',
    @LockOwner = N'Transaction', @LockTimeout = 60000;
IF @lockResult < 0
BEGIN
    THROW 51000, N'Could not obtain the Orleans schema application lock.', 1;
END;

IF OBJECT_ID(N'OrleansMembershipVersionTable', N'U') IS NULL
BEGIN
    CREATE TABLE OrleansMembershipVersionTable
    (
        DeploymentId NVARCHAR(150) COLLATE Latin1_General_BIN2 NOT NULL,
        LastModified DATETIME2(3)  NOT NULL
            CONSTRAINT DF_OrleansMembershipVersionTable_LastModified DEFAULT SYSUTCDATETIME(),
        Version      INT           NOT NULL
            CONSTRAINT DF_OrleansMembershipVersionTable_Version DEFAULT 0,
        CONSTRAINT PK_OrleansMembershipVersionTable PRIMARY KEY (DeploymentId)
    );
END;

IF OBJECT_ID(N'OrleansMembershipTable', N'U') IS NULL
BEGIN
    CREATE TABLE OrleansMembershipTable
    (
        DeploymentId NVARCHAR(150) COLLATE Latin1_General_BIN2 NOT NULL,
        Address      VARCHAR(45)   NOT NULL,
        Port         INT           NOT NULL,
        Generation   INT           NOT NULL,
        SiloName     NVARCHAR(150) NOT NULL,
        HostName     NVARCHAR(150) NOT NULL,
        Status       INT           NOT NULL,
        ProxyPort    INT           NULL,
        SuspectTimes NVARCHAR(MAX) NULL,
        StartTime    DATETIME2(3)  NOT NULL,
        IAmAliveTime DATETIME2(3)  NOT NULL,
        CONSTRAINT PK_OrleansMembershipTable
            PRIMARY KEY (DeploymentId, Address, Port, Generation),
        CONSTRAINT FK_OrleansMembershipTable_Version
            FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
    );
END;
COMMIT TRANSACTION;
-- go

-- InsertMembershipVersionKey    : one boolean - true if the version row was created now.
-- InsertMembershipKey           : one boolean - true if the table version still equalled
--                                 @Version, the silo row did not exist yet, and both the
--                                 version bump and the insert happened (one transaction).
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
--                                 SuspectTimes; the times arrive as DATETIME2). An empty
--                                 SuspectTimes string and NULL are treated as equal.
-- CleanupDefunctSiloEntriesKey  : (required key, used only if the optional one is
--                                 missing) deletes Dead rows whose start and last
--                                 heartbeat are both older than @IAmAliveTime.
MERGE OrleansQuery WITH (HOLDLOCK) AS target
USING
(
    VALUES
    ('InsertMembershipVersionKey', N'
SET NOCOUNT ON;
INSERT INTO OrleansMembershipVersionTable (DeploymentId)
SELECT @DeploymentId
WHERE NOT EXISTS
(
    SELECT 1 FROM OrleansMembershipVersionTable WITH (UPDLOCK, HOLDLOCK)
    WHERE DeploymentId = @DeploymentId
);
SELECT CAST(@@ROWCOUNT AS BIT);
'),
    ('InsertMembershipKey', N'
SET NOCOUNT ON;
SET XACT_ABORT ON;
DECLARE @ok BIT = 0;
BEGIN TRANSACTION;
UPDATE OrleansMembershipVersionTable
SET Version = Version + 1,
    LastModified = SYSUTCDATETIME()
WHERE DeploymentId = @DeploymentId
  AND Version = @Version
  AND NOT EXISTS
  (
      SELECT 1 FROM OrleansMembershipTable WITH (UPDLOCK, HOLDLOCK)
      WHERE DeploymentId = @DeploymentId AND Address = @Address
        AND Port = @Port AND Generation = @Generation
  );
IF @@ROWCOUNT = 1
BEGIN
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName,
         Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
    VALUES
        (@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
         @Status, @ProxyPort, NULL, @StartTime, @IAmAliveTime);
    SET @ok = 1;
END;
IF @ok = 1
    COMMIT TRANSACTION;
ELSE
    ROLLBACK TRANSACTION;
SELECT @ok;
'),
    ('UpdateMembershipKey', N'
SET NOCOUNT ON;
SET XACT_ABORT ON;
DECLARE @ok BIT = 0;
BEGIN TRANSACTION;
UPDATE OrleansMembershipVersionTable
SET Version = Version + 1,
    LastModified = SYSUTCDATETIME()
WHERE DeploymentId = @DeploymentId
  AND Version = @Version;
IF @@ROWCOUNT = 1
BEGIN
    UPDATE OrleansMembershipTable
    SET Status = @Status,
        SuspectTimes = @SuspectTimes,
        IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId AND Address = @Address
      AND Port = @Port AND Generation = @Generation;
    IF @@ROWCOUNT = 1
        SET @ok = 1;
END;
IF @ok = 1
    COMMIT TRANSACTION;
ELSE
    ROLLBACK TRANSACTION;
SELECT @ok;
'),
    ('UpdateIAmAlivetimeKey', N'
SET NOCOUNT ON;
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address
  AND Port = @Port AND Generation = @Generation;
'),
    ('MembershipReadRowKey', N'
SET NOCOUNT ON;
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
       m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v WITH (HOLDLOCK)
LEFT JOIN OrleansMembershipTable m WITH (HOLDLOCK)
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
'),
    ('MembershipReadAllKey', N'
SET NOCOUNT ON;
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
       m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v WITH (HOLDLOCK)
LEFT JOIN OrleansMembershipTable m WITH (HOLDLOCK)
       ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
'),
    ('GatewaysQueryKey', N'
SET NOCOUNT ON;
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
'),
    ('DeleteMembershipTableEntriesKey', N'
SET NOCOUNT ON;
SET XACT_ABORT ON;
BEGIN TRANSACTION;
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
COMMIT TRANSACTION;
'),
    ('CleanupDefunctSiloEntryKey', N'
SET NOCOUNT ON;
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Address = @Address
  AND Port = @Port AND Generation = @Generation
  AND Status = 6
  AND StartTime = @StartTime AND IAmAliveTime = @IAmAliveTime
  AND COALESCE(SuspectTimes, N'''') COLLATE Latin1_General_BIN2
      = COALESCE(@SuspectTimes, N'''') COLLATE Latin1_General_BIN2;
'),
    ('CleanupDefunctSiloEntriesKey', N'
SET NOCOUNT ON;
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = 6
  AND IAmAliveTime < @IAmAliveTime
  AND StartTime < @IAmAliveTime;
')
) AS source (QueryKey, QueryText)
ON target.QueryKey = source.QueryKey
WHEN MATCHED AND target.QueryText COLLATE Latin1_General_BIN2 <> source.QueryText COLLATE Latin1_General_BIN2 THEN
    UPDATE SET QueryText = source.QueryText
WHEN NOT MATCHED BY TARGET THEN
    INSERT (QueryKey, QueryText) VALUES (source.QueryKey, source.QueryText);
-- go

-- -----------------------------------------------------------------------------
-- Reminders (UseAdoNetReminderService)
--
-- GrainId is GrainId.ToString(), sent as VARCHAR (AnsiString) by Orleans;
-- GrainHash is the grain's uniform hash code cast to a signed 32-bit integer;
-- Period is in milliseconds (INT when it fits, BIGINT otherwise); StartTime
-- is UTC. Version is the reminder ETag.
-- Key sizes: 300 + 300 + 300 bytes = the 900-byte clustered key limit.
-- -----------------------------------------------------------------------------
SET XACT_ABORT ON;
BEGIN TRANSACTION;
DECLARE @lockResult INT;
EXEC @lockResult = sp_getapplock
    @Resource = N'SocialCrm.Orleans.Schema', @LockMode = N'Exclusive',
    @LockOwner = N'Transaction', @LockTimeout = 60000;
IF @lockResult < 0
BEGIN
    THROW 51000, N'Could not obtain the Orleans schema application lock.', 1;
END;

IF OBJECT_ID(N'OrleansRemindersTable', N'U') IS NULL
BEGIN
    CREATE TABLE OrleansRemindersTable
    (
        ServiceId    NVARCHAR(150) COLLATE Latin1_General_BIN2 NOT NULL,
        GrainId      VARCHAR(300)  COLLATE Latin1_General_BIN2 NOT NULL,
        ReminderName NVARCHAR(150) COLLATE Latin1_General_BIN2 NOT NULL,
        StartTime    DATETIME2(3)  NOT NULL,
        Period       BIGINT        NOT NULL,
        GrainHash    INT           NOT NULL,
        Version      INT           NOT NULL,
        CONSTRAINT PK_OrleansRemindersTable PRIMARY KEY (ServiceId, GrainId, ReminderName)
    );

    CREATE INDEX IX_OrleansRemindersTable_GrainHash
        ON OrleansRemindersTable (ServiceId, GrainHash);
END;
COMMIT TRANSACTION;
-- go

-- Row-returning queries yield (GrainId, ReminderName, StartTime, Period, Version).
-- The ring range is (BeginHash, EndHash]: ReadRangeRows1Key is used when
-- BeginHash < EndHash as signed integers, ReadRangeRows2Key when the range
-- wraps around (or covers the whole ring).
-- UpsertReminderRowKey returns one row: the new Version.
-- DeleteReminderRowKey returns one BIT: 1 if the row with that Version was removed.
MERGE OrleansQuery WITH (HOLDLOCK) AS target
USING
(
    VALUES
    ('ReadReminderRowsKey', N'
SET NOCOUNT ON;
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
'),
    ('ReadReminderRowKey', N'
SET NOCOUNT ON;
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
'),
    ('ReadRangeRows1Key', N'
SET NOCOUNT ON;
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
'),
    ('ReadRangeRows2Key', N'
SET NOCOUNT ON;
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
'),
    ('UpsertReminderRowKey', N'
SET NOCOUNT ON;
SET XACT_ABORT ON;
DECLARE @newVersion INT;
BEGIN TRANSACTION;
UPDATE OrleansRemindersTable WITH (UPDLOCK, HOLDLOCK)
SET StartTime = @StartTime,
    Period = @Period,
    GrainHash = @GrainHash,
    @newVersion = Version = Version + 1
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
IF @@ROWCOUNT = 0
BEGIN
    INSERT INTO OrleansRemindersTable
        (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES
        (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1);
    SET @newVersion = 1;
END;
COMMIT TRANSACTION;
SELECT @newVersion AS Version;
'),
    ('DeleteReminderRowKey', N'
SET NOCOUNT ON;
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId
  AND ReminderName = @ReminderName AND Version = @Version;
SELECT CAST(@@ROWCOUNT AS BIT);
'),
    ('DeleteReminderRowsKey', N'
SET NOCOUNT ON;
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId;
')
) AS source (QueryKey, QueryText)
ON target.QueryKey = source.QueryKey
WHEN MATCHED AND target.QueryText COLLATE Latin1_General_BIN2 <> source.QueryText COLLATE Latin1_General_BIN2 THEN
    UPDATE SET QueryText = source.QueryText
WHEN NOT MATCHED BY TARGET THEN
    INSERT (QueryKey, QueryText) VALUES (source.QueryKey, source.QueryText);
