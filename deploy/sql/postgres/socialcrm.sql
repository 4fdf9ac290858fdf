-- SocialCrm's own tables on PostgreSQL. Applied at every start-up: every statement is idempotent.
-- Times are Unix epoch milliseconds (UTC), so ordering and keyset paging are exact on every dialect.
CREATE TABLE IF NOT EXISTS messages (
    brand_id            varchar(64)  NOT NULL,
    conversation_id     varchar(64)  NOT NULL,
    seq                 bigint       NOT NULL,
    id                  varchar(64)  NOT NULL,
    channel_id          varchar(64)  NOT NULL,
    author_type         varchar(16)  NOT NULL,
    author_id           varchar(64)  NOT NULL,
    body                text         NULL,
    visibility          varchar(16)  NOT NULL,
    purpose             varchar(32)  NULL,
    created_at_ms       bigint       NOT NULL,
    sent_at_ms          bigint       NOT NULL,
    external_message_id varchar(256) NULL,
    in_reply_to         varchar(256) NULL,
    dedupe_key          varchar(400) NULL,
    delivery_status     varchar(16)  NULL,
    redacted            boolean      NOT NULL DEFAULT false,
    event_type          varchar(64)  NULL,
    event_data          text         NULL,
    quoted_message_id   varchar(64)  NULL,
    attempts            integer      NOT NULL DEFAULT 0,
    last_error          varchar(500) NULL,
    PRIMARY KEY (brand_id, conversation_id, seq)
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_messages_dedupe ON messages (brand_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS ux_messages_id ON messages (brand_id, id);
CREATE INDEX IF NOT EXISTS ix_messages_pending ON messages (brand_id, conversation_id, seq) WHERE delivery_status = 'pending';
-- go
CREATE TABLE IF NOT EXISTS conversations (
    brand_id                    varchar(64)  NOT NULL,
    id                          varchar(64)  NOT NULL,
    channel_id                  varchar(64)  NOT NULL,
    visibility                  varchar(16)  NOT NULL,
    kind                        varchar(16)  NOT NULL,
    status                      varchar(16)  NOT NULL,
    assignee                    varchar(64)  NULL,
    controller                  varchar(80)  NOT NULL,
    customer_id                 varchar(64)  NULL,
    external_thread_id          varchar(256) NULL,
    created_at_ms               bigint       NOT NULL,
    last_activity_ms            bigint       NOT NULL,
    last_message_at_ms          bigint       NULL,
    last_customer_message_at_ms bigint       NULL,
    message_count               bigint       NOT NULL,
    last_seq                    bigint       NOT NULL,
    PRIMARY KEY (brand_id, id)
);
CREATE INDEX IF NOT EXISTS ix_conversations_activity ON conversations (brand_id, last_activity_ms DESC, id DESC);
-- Every message moves its conversation's activity, and an update that changes an indexed column
-- writes a new entry in every index of the table: each index on activity costs WAL per message
-- (measured: 2,451 bytes of WAL per inbound message with status, channel and assignee indexes,
-- 1,688 without). The activity index serves the inbox and its channel and open/resolved views (the
-- newest conversations of a brand match them soon); the two partial indexes serve the views whose
-- rows are few and may be old, and the inbound flood (unassigned, open) never touches them.
DROP INDEX IF EXISTS ix_conversations_status;
DROP INDEX IF EXISTS ix_conversations_channel;
DROP INDEX IF EXISTS ix_conversations_assignee;
CREATE INDEX IF NOT EXISTS ix_conversations_assigned ON conversations (brand_id, assignee, last_activity_ms DESC, id DESC)
    WHERE assignee IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_conversations_waiting ON conversations (brand_id, status, last_activity_ms DESC, id DESC)
    WHERE status IN ('pending', 'snoozed');
-- go
CREATE TABLE IF NOT EXISTS conversation_participants (
    brand_id        varchar(64) NOT NULL,
    customer_id     varchar(64) NOT NULL,
    conversation_id varchar(64) NOT NULL,
    joined_at_ms    bigint      NOT NULL,
    PRIMARY KEY (brand_id, customer_id, conversation_id)
);
-- go
-- A conversation lists its participants: without this, each view scanned the brand's whole table.
CREATE INDEX IF NOT EXISTS ix_participants_conversation ON conversation_participants (brand_id, conversation_id, joined_at_ms);
-- go
CREATE TABLE IF NOT EXISTS customers (
    brand_id      varchar(64) NOT NULL,
    id            varchar(64) NOT NULL,
    created_at_ms bigint      NOT NULL,
    erased_at_ms  bigint      NULL,
    PRIMARY KEY (brand_id, id)
);
-- Every API key that was ever issued, by the hash of its secret: a key not here cannot exist, so a
-- guessed key is refused without waking a key grain. Revocation stays with the key's grain.
CREATE TABLE IF NOT EXISTS api_keys (
    key_hash varchar(64) NOT NULL PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS consents (
    brand_id       varchar(64)  NOT NULL,
    purpose        varchar(32)  NOT NULL,
    customer_id    varchar(64)  NOT NULL,
    status         varchar(16)  NOT NULL,
    lawful_basis   varchar(64)  NOT NULL,
    source         varchar(200) NOT NULL,
    policy_version varchar(64)  NULL,
    recorded_at_ms bigint       NOT NULL,
    expires_at_ms  bigint       NULL,
    PRIMARY KEY (brand_id, purpose, customer_id)
);
CREATE TABLE IF NOT EXISTS audit_log (
    brand_id    varchar(64)  NOT NULL,
    seq         bigint       NOT NULL,
    at_ms       bigint       NOT NULL,
    actor       varchar(200) NOT NULL,
    action      varchar(64)  NOT NULL,
    customer_id varchar(64)  NULL,
    resource    varchar(300) NULL,
    hash        varchar(64)  NOT NULL,
    PRIMARY KEY (brand_id, seq)
);
CREATE INDEX IF NOT EXISTS ix_audit_customer ON audit_log (brand_id, customer_id, seq);
-- Indexes that every message writes and only an erasure or a retention run reads are not worth their
-- WAL per message: erasure finds a customer's messages through their participant rows, retention
-- through the time-ordered message ids. Quotes are few, so their index costs nothing.
DROP INDEX IF EXISTS ix_messages_author;
DROP INDEX IF EXISTS ix_messages_created;
CREATE INDEX IF NOT EXISTS ix_messages_quoted ON messages (brand_id, quoted_message_id) WHERE quoted_message_id IS NOT NULL;
-- go
CREATE TABLE IF NOT EXISTS webhooks (
    brand_id      varchar(64)   NOT NULL,
    id            varchar(64)   NOT NULL,
    url           varchar(2048) NOT NULL,
    secret        text          NOT NULL, -- sealed with the key ring, never the secret itself
    events        varchar(1024) NOT NULL,
    created_at_ms bigint        NOT NULL,
    PRIMARY KEY (brand_id, id)
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    brand_id           varchar(64)  NOT NULL,
    id                 varchar(64)  NOT NULL,
    webhook_id         varchar(64)  NOT NULL,
    lane               varchar(64)  NOT NULL,
    lane_seq           bigint       NOT NULL,
    event_type         varchar(64)  NOT NULL,
    customer_id        varchar(64)  NULL,
    payload            text         NULL,
    status             varchar(16)  NOT NULL,
    attempts           integer      NOT NULL DEFAULT 0,
    last_error         varchar(500) NULL,
    created_at_ms      bigint       NOT NULL,
    next_attempt_at_ms bigint       NOT NULL,
    delivered_at_ms    bigint       NULL,
    PRIMARY KEY (brand_id, id)
);
CREATE INDEX IF NOT EXISTS ix_deliveries_due ON webhook_deliveries (brand_id, webhook_id, created_at_ms) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS ix_deliveries_status ON webhook_deliveries (brand_id, webhook_id, status, created_at_ms);
CREATE INDEX IF NOT EXISTS ix_deliveries_customer ON webhook_deliveries (brand_id, customer_id);
-- go
-- Channels' health as their grains last wrote it (ok, token-expired, refresh-failed): the readiness check lists the unhealthy ones.
CREATE TABLE IF NOT EXISTS channel_health (
    brand_id   varchar(64)  NOT NULL,
    channel_id varchar(64)  NOT NULL,
    platform   varchar(16)  NOT NULL,
    state      varchar(32)  NOT NULL,
    since_ms   bigint       NOT NULL,
    detail     varchar(500) NULL,
    PRIMARY KEY (brand_id, channel_id)
);
CREATE INDEX IF NOT EXISTS ix_channel_health_unhealthy ON channel_health (since_ms) WHERE state <> 'ok';
-- go
-- Secrets are stored sealed (Data Protection), which makes them longer than the 512 characters of
-- the first schema's column.
DO $$
BEGIN
    IF (SELECT data_type FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'webhooks' AND column_name = 'secret') <> 'text' THEN
        ALTER TABLE webhooks ALTER COLUMN secret TYPE text;
    END IF;
END $$;
-- go
-- The key ring that seals channel and webhook secrets, shared by every node of a cluster: one Data
-- Protection XML element (a key, or a revocation) per row. Whoever reads this table and the rest of
-- the database can open the secrets unless the keys are themselves protected (DataProtection:*).
CREATE TABLE IF NOT EXISTS data_protection_keys (
    friendly_name varchar(256) NOT NULL PRIMARY KEY,
    xml           text         NOT NULL
);
-- go
-- Insights. Each customer message's sentiment is stored beside its text and removed with it; the
-- conversation keeps its latest customer message's, for the inbox's sentiment filter.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS sentiment_score double precision NULL;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS sentiment_score double precision NULL;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS sentiment_label varchar(8) NULL;
-- go
-- The brand's mood by the messages' platform time, pre-aggregated per node and added up here, one
-- row per bucket of each granularity ('m'inute, 'h'our, 'd'ay), channel and visibility: a year of
-- days is a few hundred rows whatever the size of the log.
CREATE TABLE IF NOT EXISTS insight_mood (
    brand_id        varchar(64) NOT NULL,
    granularity     varchar(1)  NOT NULL,
    bucket_start_ms bigint      NOT NULL,
    channel_id      varchar(64) NOT NULL,
    visibility      varchar(16) NOT NULL,
    messages        bigint      NOT NULL,
    positive        bigint      NOT NULL,
    neutral         bigint      NOT NULL,
    negative        bigint      NOT NULL,
    score_sum       double precision NOT NULL,
    PRIMARY KEY (brand_id, granularity, bucket_start_ms, channel_id, visibility)
);
-- go
-- What customers praise, complain about and use the product for, per day and channel, with up to
-- three example messages (an erasure clears its customer's). Keyed by kind first: a report reads one
-- kind's days in a range.
CREATE TABLE IF NOT EXISTS insight_terms (
    brand_id   varchar(64) NOT NULL,
    day_ms     bigint      NOT NULL,
    channel_id varchar(64) NOT NULL,
    kind       varchar(16) NOT NULL,
    term       varchar(64) NOT NULL,
    mentions   bigint      NOT NULL,
    example1   varchar(64) NULL,
    example2   varchar(64) NULL,
    example3   varchar(64) NULL,
    PRIMARY KEY (brand_id, kind, day_ms, term, channel_id)
);
-- go
-- Spike alerts: raised once per episode, then resolved when the channel calms down.
CREATE TABLE IF NOT EXISTS insight_alerts (
    brand_id          varchar(64) NOT NULL,
    id                varchar(64) NOT NULL,
    kind              varchar(16) NOT NULL,
    status            varchar(16) NOT NULL,
    channel_id        varchar(64) NOT NULL,
    window_start_ms   bigint      NOT NULL,
    detected_at_ms    bigint      NOT NULL,
    resolved_at_ms    bigint      NULL,
    negative_share    double precision NOT NULL,
    baseline_share    double precision NOT NULL,
    messages          bigint      NOT NULL,
    baseline_messages double precision NOT NULL,
    sample_ids        varchar(400) NOT NULL,
    PRIMARY KEY (brand_id, id)
);
-- go
-- Tags, priority and team (issue 18): first-class fields of a conversation for agents and rules.
-- The row keeps the tags for display; the tag table, written only when tags change, serves the filter.
-- unread_count: customer messages since an agent last looked, counted in the same row write.
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS priority varchar(8) NOT NULL DEFAULT 'normal';
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS team_id varchar(64) NULL;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS tags varchar(1100) NULL;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS unread_count bigint NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS conversation_tags (
    brand_id        varchar(64) NOT NULL,
    tag             varchar(64) NOT NULL,
    conversation_id varchar(64) NOT NULL,
    PRIMARY KEY (brand_id, tag, conversation_id)
);
-- The inbox's search by name: the customer's display name folded to lower case without accents,
-- words separated by one space. Personal data: erasure empties it.
ALTER TABLE customers ADD COLUMN IF NOT EXISTS search_name varchar(256) NULL;
-- go
-- Automation (issue 18). A rule's decision commits with the message that fired it, as a pending
-- run holding the rule as it was then; the conversation carries the run out and records how it ended.
-- The runs are also the rule's counters (fired, failed, skipped and why).
CREATE TABLE IF NOT EXISTS automation_runs (
    brand_id        varchar(64)  NOT NULL,
    id              varchar(64)  NOT NULL,
    conversation_id varchar(64)  NOT NULL,
    rule_id         varchar(64)  NOT NULL,
    trigger_type    varchar(32)  NOT NULL,
    message_id      varchar(64)  NULL,
    rule_json       text         NOT NULL,
    status          varchar(16)  NOT NULL,
    reason          varchar(64)  NULL,
    attempts        integer      NOT NULL DEFAULT 0,
    created_at_ms   bigint       NOT NULL,
    done_at_ms      bigint       NULL,
    PRIMARY KEY (brand_id, id)
);
CREATE INDEX IF NOT EXISTS ix_automation_runs_pending ON automation_runs (created_at_ms, brand_id, conversation_id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS ix_automation_runs_rule ON automation_runs (brand_id, rule_id, status);
CREATE INDEX IF NOT EXISTS ix_automation_runs_conversation ON automation_runs (brand_id, conversation_id, message_id);
-- When the oldest unanswered customer message of a conversation trips a "no agent reply" rule.
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS sla_due_at_ms bigint NULL;
CREATE INDEX IF NOT EXISTS ix_conversations_sla ON conversations (sla_due_at_ms) WHERE sla_due_at_ms IS NOT NULL;
