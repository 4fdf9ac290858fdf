-- SocialCrm's own tables on SQL Server. Applied at every start-up: every batch is idempotent.
-- Times are Unix epoch milliseconds (UTC), so ordering and keyset paging are exact on every dialect.
IF OBJECT_ID(N'dbo.messages', N'U') IS NULL
CREATE TABLE dbo.messages (
    brand_id            nvarchar(64)  NOT NULL,
    conversation_id     nvarchar(64)  NOT NULL,
    seq                 bigint        NOT NULL,
    id                  nvarchar(64)  NOT NULL,
    channel_id          nvarchar(64)  NOT NULL,
    author_type         nvarchar(16)  NOT NULL,
    author_id           nvarchar(64)  NOT NULL,
    body                nvarchar(max) NULL,
    visibility          nvarchar(16)  NOT NULL,
    purpose             nvarchar(32)  NULL,
    created_at_ms       bigint        NOT NULL,
    sent_at_ms          bigint        NOT NULL,
    external_message_id nvarchar(256) NULL,
    in_reply_to         nvarchar(256) NULL,
    dedupe_key          nvarchar(400) NULL,
    delivery_status     nvarchar(16)  NULL,
    redacted            bit           NOT NULL CONSTRAINT df_messages_redacted DEFAULT 0,
    event_type          nvarchar(64)  NULL,
    event_data          nvarchar(max) NULL,
    quoted_message_id   nvarchar(64)  NULL,
    attempts            int           NOT NULL CONSTRAINT df_messages_attempts DEFAULT 0,
    last_error          nvarchar(500) NULL,
    CONSTRAINT pk_messages PRIMARY KEY (brand_id, conversation_id, seq)
);
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_messages_dedupe' AND object_id = OBJECT_ID(N'dbo.messages'))
CREATE UNIQUE INDEX ux_messages_dedupe ON dbo.messages (brand_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_messages_id' AND object_id = OBJECT_ID(N'dbo.messages'))
CREATE UNIQUE INDEX ux_messages_id ON dbo.messages (brand_id, id);
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_messages_pending' AND object_id = OBJECT_ID(N'dbo.messages'))
CREATE INDEX ix_messages_pending ON dbo.messages (brand_id, conversation_id, seq) WHERE delivery_status = 'pending';
-- go
IF OBJECT_ID(N'dbo.conversations', N'U') IS NULL
CREATE TABLE dbo.conversations (
    brand_id                    nvarchar(64)  NOT NULL,
    id                          nvarchar(64)  NOT NULL,
    channel_id                  nvarchar(64)  NOT NULL,
    visibility                  nvarchar(16)  NOT NULL,
    kind                        nvarchar(16)  NOT NULL,
    status                      nvarchar(16)  NOT NULL,
    assignee                    nvarchar(64)  NULL,
    controller                  nvarchar(80)  NOT NULL,
    customer_id                 nvarchar(64)  NULL,
    external_thread_id          nvarchar(256) NULL,
    created_at_ms               bigint        NOT NULL,
    last_activity_ms            bigint        NOT NULL,
    last_message_at_ms          bigint        NULL,
    last_customer_message_at_ms bigint        NULL,
    message_count               bigint        NOT NULL,
    last_seq                    bigint        NOT NULL,
    CONSTRAINT pk_conversations PRIMARY KEY (brand_id, id)
);
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_conversations_activity' AND object_id = OBJECT_ID(N'dbo.conversations'))
CREATE INDEX ix_conversations_activity ON dbo.conversations (brand_id, last_activity_ms DESC, id DESC);
-- go
-- Every message moves its conversation's activity: each index holding it is written per message.
-- As on PostgreSQL, only the activity index and two filtered ones that the inbound flood never touches.
DROP INDEX IF EXISTS ix_conversations_status ON dbo.conversations;
-- go
DROP INDEX IF EXISTS ix_conversations_channel ON dbo.conversations;
-- go
DROP INDEX IF EXISTS ix_conversations_assignee ON dbo.conversations;
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_conversations_assigned' AND object_id = OBJECT_ID(N'dbo.conversations'))
CREATE INDEX ix_conversations_assigned ON dbo.conversations (brand_id, assignee, last_activity_ms DESC, id DESC)
    WHERE assignee IS NOT NULL;
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_conversations_waiting' AND object_id = OBJECT_ID(N'dbo.conversations'))
CREATE INDEX ix_conversations_waiting ON dbo.conversations (brand_id, status, last_activity_ms DESC, id DESC)
    WHERE status IN (N'pending', N'snoozed');
-- go
IF OBJECT_ID(N'dbo.conversation_participants', N'U') IS NULL
CREATE TABLE dbo.conversation_participants (
    brand_id        nvarchar(64) NOT NULL,
    customer_id     nvarchar(64) NOT NULL,
    conversation_id nvarchar(64) NOT NULL,
    joined_at_ms    bigint       NOT NULL,
    CONSTRAINT pk_conversation_participants PRIMARY KEY (brand_id, customer_id, conversation_id)
);
-- go
-- A conversation lists its participants: without this, each view scanned the brand's whole table.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_participants_conversation' AND object_id = OBJECT_ID(N'dbo.conversation_participants'))
CREATE INDEX ix_participants_conversation ON dbo.conversation_participants (brand_id, conversation_id, joined_at_ms);
-- go
IF OBJECT_ID(N'dbo.customers', N'U') IS NULL
CREATE TABLE dbo.customers (
    brand_id      nvarchar(64) NOT NULL,
    id            nvarchar(64) NOT NULL,
    created_at_ms bigint       NOT NULL,
    erased_at_ms  bigint       NULL,
    CONSTRAINT pk_customers PRIMARY KEY (brand_id, id)
);
-- go
-- Every API key that was ever issued, by the hash of its secret: a key not here cannot exist, so a
-- guessed key is refused without waking a key grain. Revocation stays with the key's grain.
IF OBJECT_ID(N'dbo.api_keys', N'U') IS NULL
CREATE TABLE dbo.api_keys (
    key_hash nvarchar(64) NOT NULL CONSTRAINT pk_api_keys PRIMARY KEY
);
-- go
IF OBJECT_ID(N'dbo.consents', N'U') IS NULL
CREATE TABLE dbo.consents (
    brand_id       nvarchar(64)  NOT NULL,
    purpose        nvarchar(32)  NOT NULL,
    customer_id    nvarchar(64)  NOT NULL,
    status         nvarchar(16)  NOT NULL,
    lawful_basis   nvarchar(64)  NOT NULL,
    source         nvarchar(200) NOT NULL,
    policy_version nvarchar(64)  NULL,
    recorded_at_ms bigint        NOT NULL,
    expires_at_ms  bigint        NULL,
    CONSTRAINT pk_consents PRIMARY KEY (brand_id, purpose, customer_id)
);
-- go
IF OBJECT_ID(N'dbo.audit_log', N'U') IS NULL
CREATE TABLE dbo.audit_log (
    brand_id    nvarchar(64)  NOT NULL,
    seq         bigint        NOT NULL,
    at_ms       bigint        NOT NULL,
    actor       nvarchar(200) NOT NULL,
    action      nvarchar(64)  NOT NULL,
    customer_id nvarchar(64)  NULL,
    resource    nvarchar(300) NULL,
    hash        nvarchar(64)  NOT NULL,
    CONSTRAINT pk_audit_log PRIMARY KEY (brand_id, seq)
);
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_audit_customer' AND object_id = OBJECT_ID(N'dbo.audit_log'))
CREATE INDEX ix_audit_customer ON dbo.audit_log (brand_id, customer_id, seq);
-- go
-- As on PostgreSQL: erasure goes through participant rows and retention through the time-ordered ids,
-- so no index on author or creation time is written by every message.
DROP INDEX IF EXISTS ix_messages_author ON dbo.messages;
-- go
DROP INDEX IF EXISTS ix_messages_created ON dbo.messages;
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_messages_quoted' AND object_id = OBJECT_ID(N'dbo.messages'))
CREATE INDEX ix_messages_quoted ON dbo.messages (brand_id, quoted_message_id) WHERE quoted_message_id IS NOT NULL;
-- go
IF OBJECT_ID(N'dbo.webhooks', N'U') IS NULL
CREATE TABLE dbo.webhooks (
    brand_id      nvarchar(64)   NOT NULL,
    id            nvarchar(64)   NOT NULL,
    url           nvarchar(2048) NOT NULL,
    secret        nvarchar(4000) NOT NULL,
    events        nvarchar(1024) NOT NULL,
    created_at_ms bigint         NOT NULL,
    CONSTRAINT pk_webhooks PRIMARY KEY (brand_id, id)
);
-- go
IF OBJECT_ID(N'dbo.webhook_deliveries', N'U') IS NULL
CREATE TABLE dbo.webhook_deliveries (
    brand_id           nvarchar(64)  NOT NULL,
    id                 nvarchar(64)  NOT NULL,
    webhook_id         nvarchar(64)  NOT NULL,
    lane               nvarchar(64)  NOT NULL,
    lane_seq           bigint        NOT NULL,
    event_type         nvarchar(64)  NOT NULL,
    customer_id        nvarchar(64)  NULL,
    payload            nvarchar(max) NULL,
    status             nvarchar(16)  NOT NULL,
    attempts           int           NOT NULL CONSTRAINT df_deliveries_attempts DEFAULT 0,
    last_error         nvarchar(500) NULL,
    created_at_ms      bigint        NOT NULL,
    next_attempt_at_ms bigint        NOT NULL,
    delivered_at_ms    bigint        NULL,
    CONSTRAINT pk_webhook_deliveries PRIMARY KEY (brand_id, id)
);
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_deliveries_due' AND object_id = OBJECT_ID(N'dbo.webhook_deliveries'))
CREATE INDEX ix_deliveries_due ON dbo.webhook_deliveries (brand_id, webhook_id, created_at_ms) WHERE status = 'pending';
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_deliveries_status' AND object_id = OBJECT_ID(N'dbo.webhook_deliveries'))
CREATE INDEX ix_deliveries_status ON dbo.webhook_deliveries (brand_id, webhook_id, status, created_at_ms);
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_deliveries_customer' AND object_id = OBJECT_ID(N'dbo.webhook_deliveries'))
CREATE INDEX ix_deliveries_customer ON dbo.webhook_deliveries (brand_id, customer_id);
-- go
-- Channels' health as their grains last wrote it (ok, token-expired, refresh-failed): the readiness check lists the unhealthy ones.
IF OBJECT_ID(N'dbo.channel_health', N'U') IS NULL
CREATE TABLE dbo.channel_health (
    brand_id   nvarchar(64)  NOT NULL,
    channel_id nvarchar(64)  NOT NULL,
    platform   nvarchar(16)  NOT NULL,
    state      nvarchar(32)  NOT NULL,
    since_ms   bigint        NOT NULL,
    detail     nvarchar(500) NULL,
    CONSTRAINT pk_channel_health PRIMARY KEY (brand_id, channel_id)
);
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_channel_health_unhealthy' AND object_id = OBJECT_ID(N'dbo.channel_health'))
CREATE INDEX ix_channel_health_unhealthy ON dbo.channel_health (since_ms) WHERE state <> 'ok';
-- go
-- Secrets are stored sealed (Data Protection), which makes them longer than the 512 characters of
-- the first schema's column (COL_LENGTH counts bytes: nvarchar(4000) is 8000).
IF COL_LENGTH(N'dbo.webhooks', N'secret') < 8000
ALTER TABLE dbo.webhooks ALTER COLUMN secret nvarchar(4000) NOT NULL;
-- go
-- The key ring that seals channel and webhook secrets, shared by every node of a cluster: one Data
-- Protection XML element (a key, or a revocation) per row. Whoever reads this table and the rest of
-- the database can open the secrets unless the keys are themselves protected (DataProtection:*).
IF OBJECT_ID(N'dbo.data_protection_keys', N'U') IS NULL
CREATE TABLE dbo.data_protection_keys (
    friendly_name nvarchar(256) NOT NULL,
    xml           nvarchar(max) NOT NULL,
    CONSTRAINT pk_data_protection_keys PRIMARY KEY (friendly_name)
);
-- go
-- Insights. Each customer message's sentiment is stored beside its text and removed with it; the
-- conversation keeps its latest customer message's, for the inbox's sentiment filter.
IF COL_LENGTH(N'dbo.messages', N'sentiment_score') IS NULL
ALTER TABLE dbo.messages ADD sentiment_score float NULL;
-- go
IF COL_LENGTH(N'dbo.conversations', N'sentiment_score') IS NULL
ALTER TABLE dbo.conversations ADD sentiment_score float NULL, sentiment_label nvarchar(8) NULL;
-- go
-- The brand's mood by the messages' platform time, pre-aggregated per node and added up here, one
-- row per bucket of each granularity ('m'inute, 'h'our, 'd'ay), channel and visibility: a year of
-- days is a few hundred rows whatever the size of the log.
IF OBJECT_ID(N'dbo.insight_mood', N'U') IS NULL
CREATE TABLE dbo.insight_mood (
    brand_id        nvarchar(64) NOT NULL,
    granularity     nvarchar(1)  NOT NULL,
    bucket_start_ms bigint       NOT NULL,
    channel_id      nvarchar(64) NOT NULL,
    visibility      nvarchar(16) NOT NULL,
    messages        bigint       NOT NULL,
    positive        bigint       NOT NULL,
    neutral         bigint       NOT NULL,
    negative        bigint       NOT NULL,
    score_sum       float        NOT NULL,
    CONSTRAINT pk_insight_mood PRIMARY KEY (brand_id, granularity, bucket_start_ms, channel_id, visibility)
);
-- go
-- What customers praise, complain about and use the product for, per day and channel, with up to
-- three example messages (an erasure clears its customer's). Keyed by kind first: a report reads one
-- kind's days in a range.
IF OBJECT_ID(N'dbo.insight_terms', N'U') IS NULL
CREATE TABLE dbo.insight_terms (
    brand_id   nvarchar(64) NOT NULL,
    day_ms     bigint       NOT NULL,
    channel_id nvarchar(64) NOT NULL,
    kind       nvarchar(16) NOT NULL,
    term       nvarchar(64) NOT NULL,
    mentions   bigint       NOT NULL,
    example1   nvarchar(64) NULL,
    example2   nvarchar(64) NULL,
    example3   nvarchar(64) NULL,
    CONSTRAINT pk_insight_terms PRIMARY KEY (brand_id, kind, day_ms, term, channel_id)
);
-- go
-- Spike alerts: raised once per episode, then resolved when the channel calms down.
IF OBJECT_ID(N'dbo.insight_alerts', N'U') IS NULL
CREATE TABLE dbo.insight_alerts (
    brand_id          nvarchar(64)  NOT NULL,
    id                nvarchar(64)  NOT NULL,
    kind              nvarchar(16)  NOT NULL,
    status            nvarchar(16)  NOT NULL,
    channel_id        nvarchar(64)  NOT NULL,
    window_start_ms   bigint        NOT NULL,
    detected_at_ms    bigint        NOT NULL,
    resolved_at_ms    bigint        NULL,
    negative_share    float         NOT NULL,
    baseline_share    float         NOT NULL,
    messages          bigint        NOT NULL,
    baseline_messages float         NOT NULL,
    sample_ids        nvarchar(400) NOT NULL,
    CONSTRAINT pk_insight_alerts PRIMARY KEY (brand_id, id)
);
-- go
-- Tags, priority and team (issue 18): first-class fields of a conversation for agents and rules.
-- The row keeps the tags for display; the tag table, written only when tags change, serves the filter.
-- unread_count: customer messages since an agent last looked, counted in the same row write.
IF COL_LENGTH(N'dbo.conversations', N'priority') IS NULL
ALTER TABLE dbo.conversations ADD priority nvarchar(8) NOT NULL CONSTRAINT df_conversations_priority DEFAULT N'normal',
    team_id nvarchar(64) NULL, tags nvarchar(1100) NULL,
    unread_count bigint NOT NULL CONSTRAINT df_conversations_unread DEFAULT 0;
-- go
IF OBJECT_ID(N'dbo.conversation_tags', N'U') IS NULL
CREATE TABLE dbo.conversation_tags (
    brand_id        nvarchar(64) NOT NULL,
    tag             nvarchar(64) NOT NULL,
    conversation_id nvarchar(64) NOT NULL,
    CONSTRAINT pk_conversation_tags PRIMARY KEY (brand_id, tag, conversation_id)
);
-- go
-- The inbox's search by name: the customer's display name folded to lower case without accents,
-- words separated by one space. Personal data: erasure empties it.
IF COL_LENGTH(N'dbo.customers', N'search_name') IS NULL
ALTER TABLE dbo.customers ADD search_name nvarchar(256) NULL;
-- go
-- Automation (issue 18). A rule's decision commits with the message that fired it, as a pending
-- run holding the rule as it was then; the conversation carries the run out and records how it ended.
-- The runs are also the rule's counters (fired, failed, skipped and why).
IF OBJECT_ID(N'dbo.automation_runs', N'U') IS NULL
CREATE TABLE dbo.automation_runs (
    brand_id        nvarchar(64)  NOT NULL,
    id              nvarchar(64)  NOT NULL,
    conversation_id nvarchar(64)  NOT NULL,
    rule_id         nvarchar(64)  NOT NULL,
    trigger_type    nvarchar(32)  NOT NULL,
    message_id      nvarchar(64)  NULL,
    rule_json       nvarchar(max) NOT NULL,
    status          nvarchar(16)  NOT NULL,
    reason          nvarchar(64)  NULL,
    attempts        int           NOT NULL CONSTRAINT df_automation_runs_attempts DEFAULT 0,
    created_at_ms   bigint        NOT NULL,
    done_at_ms      bigint        NULL,
    CONSTRAINT pk_automation_runs PRIMARY KEY (brand_id, id)
);
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_automation_runs_pending' AND object_id = OBJECT_ID(N'dbo.automation_runs'))
CREATE INDEX ix_automation_runs_pending ON dbo.automation_runs (created_at_ms, brand_id, conversation_id) WHERE status = 'pending';
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_automation_runs_rule' AND object_id = OBJECT_ID(N'dbo.automation_runs'))
CREATE INDEX ix_automation_runs_rule ON dbo.automation_runs (brand_id, rule_id, status);
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_automation_runs_conversation' AND object_id = OBJECT_ID(N'dbo.automation_runs'))
CREATE INDEX ix_automation_runs_conversation ON dbo.automation_runs (brand_id, conversation_id, message_id);
-- go
-- When the oldest unanswered customer message of a conversation trips a "no agent reply" rule.
IF COL_LENGTH(N'dbo.conversations', N'sla_due_at_ms') IS NULL
ALTER TABLE dbo.conversations ADD sla_due_at_ms bigint NULL;
-- go
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_conversations_sla' AND object_id = OBJECT_ID(N'dbo.conversations'))
CREATE INDEX ix_conversations_sla ON dbo.conversations (sla_due_at_ms) WHERE sla_due_at_ms IS NOT NULL;
