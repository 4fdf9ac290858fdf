-- SocialCrm's own tables on the embedded default. Applied at every start-up: every statement is idempotent.
-- Times are Unix epoch milliseconds (UTC), so ordering and keyset paging are exact on every dialect.
PRAGMA journal_mode = WAL;
-- go
CREATE TABLE IF NOT EXISTS messages (
    brand_id            TEXT    NOT NULL,
    conversation_id     TEXT    NOT NULL,
    seq                 INTEGER NOT NULL,
    id                  TEXT    NOT NULL,
    channel_id          TEXT    NOT NULL,
    author_type         TEXT    NOT NULL,
    author_id           TEXT    NOT NULL,
    body                TEXT    NULL,
    visibility          TEXT    NOT NULL,
    purpose             TEXT    NULL,
    created_at_ms       INTEGER NOT NULL,
    sent_at_ms          INTEGER NOT NULL,
    external_message_id TEXT    NULL,
    in_reply_to         TEXT    NULL,
    dedupe_key          TEXT    NULL,
    delivery_status     TEXT    NULL,
    redacted            INTEGER NOT NULL DEFAULT 0,
    event_type          TEXT    NULL,
    event_data          TEXT    NULL,
    quoted_message_id   TEXT    NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT    NULL,
    PRIMARY KEY (brand_id, conversation_id, seq)
) WITHOUT ROWID;
-- go
CREATE UNIQUE INDEX IF NOT EXISTS ux_messages_dedupe ON messages (brand_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
-- go
CREATE UNIQUE INDEX IF NOT EXISTS ux_messages_id ON messages (brand_id, id);
-- go
CREATE INDEX IF NOT EXISTS ix_messages_pending ON messages (brand_id, conversation_id, seq) WHERE delivery_status = 'pending';
-- go
CREATE TABLE IF NOT EXISTS conversations (
    brand_id                    TEXT    NOT NULL,
    id                          TEXT    NOT NULL,
    channel_id                  TEXT    NOT NULL,
    visibility                  TEXT    NOT NULL,
    kind                        TEXT    NOT NULL,
    status                      TEXT    NOT NULL,
    assignee                    TEXT    NULL,
    controller                  TEXT    NOT NULL,
    customer_id                 TEXT    NULL,
    external_thread_id          TEXT    NULL,
    created_at_ms               INTEGER NOT NULL,
    last_activity_ms            INTEGER NOT NULL,
    last_message_at_ms          INTEGER NULL,
    last_customer_message_at_ms INTEGER NULL,
    message_count               INTEGER NOT NULL,
    last_seq                    INTEGER NOT NULL,
    PRIMARY KEY (brand_id, id)
) WITHOUT ROWID;
-- go
CREATE INDEX IF NOT EXISTS ix_conversations_activity ON conversations (brand_id, last_activity_ms DESC, id DESC);
-- go
-- Every message moves its conversation's activity, so every index holding it costs a random page
-- write per message. SQLite plans the one inbox statement once, with the activity index whatever the
-- filters: status and channel indexes were never read. Only "assigned to" is selective enough to
-- deserve its own, partial so unassigned conversations (the inbound flood) never touch it.
DROP INDEX IF EXISTS ix_conversations_status;
-- go
DROP INDEX IF EXISTS ix_conversations_channel;
-- go
DROP INDEX IF EXISTS ix_conversations_assignee;
-- go
CREATE INDEX IF NOT EXISTS ix_conversations_assigned ON conversations (brand_id, assignee, last_activity_ms DESC, id DESC)
    WHERE assignee IS NOT NULL;
-- go
CREATE TABLE IF NOT EXISTS conversation_participants (
    brand_id        TEXT NOT NULL,
    customer_id     TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    joined_at_ms    INTEGER NOT NULL,
    PRIMARY KEY (brand_id, customer_id, conversation_id)
) WITHOUT ROWID;
-- go
-- A conversation lists its participants: without this, each view scanned the brand's whole table.
CREATE INDEX IF NOT EXISTS ix_participants_conversation ON conversation_participants (brand_id, conversation_id, joined_at_ms);
-- go
CREATE TABLE IF NOT EXISTS customers (
    brand_id      TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL,
    erased_at_ms  INTEGER NULL,
    PRIMARY KEY (brand_id, id)
) WITHOUT ROWID;
-- go
-- Every API key that was ever issued, by the hash of its secret: a key not here cannot exist, so a
-- guessed key is refused without waking a key grain. Revocation stays with the key's grain.
CREATE TABLE IF NOT EXISTS api_keys (
    key_hash TEXT NOT NULL PRIMARY KEY
) WITHOUT ROWID;
-- go
CREATE TABLE IF NOT EXISTS consents (
    brand_id       TEXT    NOT NULL,
    purpose        TEXT    NOT NULL,
    customer_id    TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    lawful_basis   TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    policy_version TEXT    NULL,
    recorded_at_ms INTEGER NOT NULL,
    expires_at_ms  INTEGER NULL,
    PRIMARY KEY (brand_id, purpose, customer_id)
) WITHOUT ROWID;
-- go
CREATE TABLE IF NOT EXISTS audit_log (
    brand_id    TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    at_ms       INTEGER NOT NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    customer_id TEXT    NULL,
    resource    TEXT    NULL,
    hash        TEXT    NOT NULL,
    PRIMARY KEY (brand_id, seq)
) WITHOUT ROWID;
-- go
CREATE INDEX IF NOT EXISTS ix_audit_customer ON audit_log (brand_id, customer_id, seq);
-- go
-- Indexes that every message writes and only an erasure or a retention run reads are not worth a
-- random page per message: erasure finds a customer's messages through their participant rows,
-- retention through the time-ordered message ids. Quotes are few, so their index costs nothing.
DROP INDEX IF EXISTS ix_messages_author;
-- go
DROP INDEX IF EXISTS ix_messages_created;
-- go
CREATE INDEX IF NOT EXISTS ix_messages_quoted ON messages (brand_id, quoted_message_id) WHERE quoted_message_id IS NOT NULL;
-- go
CREATE TABLE IF NOT EXISTS webhooks (
    brand_id      TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    url           TEXT    NOT NULL,
    secret        TEXT    NOT NULL,
    events        TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (brand_id, id)
) WITHOUT ROWID;
-- go
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    brand_id           TEXT    NOT NULL,
    id                 TEXT    NOT NULL,
    webhook_id         TEXT    NOT NULL,
    lane               TEXT    NOT NULL,
    lane_seq           INTEGER NOT NULL,
    event_type         TEXT    NOT NULL,
    customer_id        TEXT    NULL,
    payload            TEXT    NULL,
    status             TEXT    NOT NULL,
    attempts           INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT    NULL,
    created_at_ms      INTEGER NOT NULL,
    next_attempt_at_ms INTEGER NOT NULL,
    delivered_at_ms    INTEGER NULL,
    PRIMARY KEY (brand_id, id)
) WITHOUT ROWID;
-- go
CREATE INDEX IF NOT EXISTS ix_deliveries_due ON webhook_deliveries (brand_id, webhook_id, created_at_ms) WHERE status = 'pending';
-- go
CREATE INDEX IF NOT EXISTS ix_deliveries_status ON webhook_deliveries (brand_id, webhook_id, status, created_at_ms);
-- go
CREATE INDEX IF NOT EXISTS ix_deliveries_customer ON webhook_deliveries (brand_id, customer_id);
-- go
-- Channels' health as their grains last wrote it (ok, token-expired, refresh-failed): the readiness check lists the unhealthy ones.
CREATE TABLE IF NOT EXISTS channel_health (
    brand_id   TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    platform   TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    since_ms   INTEGER NOT NULL,
    detail     TEXT    NULL,
    PRIMARY KEY (brand_id, channel_id)
) WITHOUT ROWID;
-- go
CREATE INDEX IF NOT EXISTS ix_channel_health_unhealthy ON channel_health (since_ms) WHERE state <> 'ok';
-- go
-- The key ring of the server dialects' clusters. A single SQLite node keeps its keys as files in
-- <DataDirectory>/keys instead, away from the database file: a copy of the database alone opens no
-- secret. The table is here so that every dialect has the same schema and queries.
CREATE TABLE IF NOT EXISTS data_protection_keys (
    friendly_name TEXT NOT NULL PRIMARY KEY,
    xml           TEXT NOT NULL
) WITHOUT ROWID;
-- go
-- Insights. Each customer message's sentiment is stored beside its text and removed with it; the
-- conversation keeps its latest customer message's, for the inbox's sentiment filter. SQLite has no
-- "ADD COLUMN IF NOT EXISTS": the installer lets a database that has the column already pass.
-- tolerate: duplicate column name
ALTER TABLE messages ADD COLUMN sentiment_score REAL NULL;
-- go
-- tolerate: duplicate column name
ALTER TABLE conversations ADD COLUMN sentiment_score REAL NULL;
-- go
-- tolerate: duplicate column name
ALTER TABLE conversations ADD COLUMN sentiment_label TEXT NULL;
-- go
-- The brand's mood by the messages' platform time, pre-aggregated per node and added up here, one
-- row per bucket of each granularity ('m'inute, 'h'our, 'd'ay), channel and visibility: a year of
-- days is a few hundred rows whatever the size of the log.
CREATE TABLE IF NOT EXISTS insight_mood (
    brand_id        TEXT    NOT NULL,
    granularity     TEXT    NOT NULL,
    bucket_start_ms INTEGER NOT NULL,
    channel_id      TEXT    NOT NULL,
    visibility      TEXT    NOT NULL,
    messages        INTEGER NOT NULL,
    positive        INTEGER NOT NULL,
    neutral         INTEGER NOT NULL,
    negative        INTEGER NOT NULL,
    score_sum       REAL    NOT NULL,
    PRIMARY KEY (brand_id, granularity, bucket_start_ms, channel_id, visibility)
) WITHOUT ROWID;
-- go
-- What customers praise, complain about and use the product for, per day and channel, with up to
-- three example messages (an erasure clears its customer's). Keyed by kind first: a report reads one
-- kind's days in a range.
CREATE TABLE IF NOT EXISTS insight_terms (
    brand_id     TEXT    NOT NULL,
    day_ms       INTEGER NOT NULL,
    channel_id   TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    term         TEXT    NOT NULL,
    mentions     INTEGER NOT NULL,
    example1     TEXT    NULL,
    example2     TEXT    NULL,
    example3     TEXT    NULL,
    PRIMARY KEY (brand_id, kind, day_ms, term, channel_id)
) WITHOUT ROWID;
-- go
-- Spike alerts: raised once per episode, then resolved when the channel calms down.
CREATE TABLE IF NOT EXISTS insight_alerts (
    brand_id          TEXT    NOT NULL,
    id                TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    channel_id        TEXT    NOT NULL,
    window_start_ms   INTEGER NOT NULL,
    detected_at_ms    INTEGER NOT NULL,
    resolved_at_ms    INTEGER NULL,
    negative_share    REAL    NOT NULL,
    baseline_share    REAL    NOT NULL,
    messages          INTEGER NOT NULL,
    baseline_messages REAL    NOT NULL,
    sample_ids        TEXT    NOT NULL,
    PRIMARY KEY (brand_id, id)
) WITHOUT ROWID;
-- go
-- Tags, priority and team (issue 18): first-class fields of a conversation for agents and rules.
-- The row keeps the tags for display; the tag table, written only when tags change, serves the filter.
-- tolerate: duplicate column name
ALTER TABLE conversations ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal';
-- go
-- tolerate: duplicate column name
ALTER TABLE conversations ADD COLUMN team_id TEXT NULL;
-- go
-- tolerate: duplicate column name
ALTER TABLE conversations ADD COLUMN tags TEXT NULL;
-- go
-- Customer messages since an agent last looked: counted up with each message, in the same row write.
-- tolerate: duplicate column name
ALTER TABLE conversations ADD COLUMN unread_count INTEGER NOT NULL DEFAULT 0;
-- go
CREATE TABLE IF NOT EXISTS conversation_tags (
    brand_id        TEXT NOT NULL,
    tag             TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    PRIMARY KEY (brand_id, tag, conversation_id)
) WITHOUT ROWID;
-- go
-- The inbox's search by name: the customer's display name folded to lower case without accents,
-- words separated by one space. Personal data: erasure empties it.
-- tolerate: duplicate column name
ALTER TABLE customers ADD COLUMN search_name TEXT NULL;
-- go
-- Automation (issue 18). A rule's decision commits with the message that fired it, as a pending
-- run holding the rule as it was then; the conversation carries the run out and records how it ended.
-- The runs are also the rule's counters (fired, failed, skipped and why).
CREATE TABLE IF NOT EXISTS automation_runs (
    brand_id        TEXT    NOT NULL,
    id              TEXT    NOT NULL,
    conversation_id TEXT    NOT NULL,
    rule_id         TEXT    NOT NULL,
    trigger_type    TEXT    NOT NULL,
    message_id      TEXT    NULL,
    rule_json       TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    reason          TEXT    NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at_ms   INTEGER NOT NULL,
    done_at_ms      INTEGER NULL,
    PRIMARY KEY (brand_id, id)
) WITHOUT ROWID;
-- go
CREATE INDEX IF NOT EXISTS ix_automation_runs_pending ON automation_runs (created_at_ms, brand_id, conversation_id) WHERE status = 'pending';
-- go
CREATE INDEX IF NOT EXISTS ix_automation_runs_rule ON automation_runs (brand_id, rule_id, status);
-- go
CREATE INDEX IF NOT EXISTS ix_automation_runs_conversation ON automation_runs (brand_id, conversation_id, message_id);
-- go
-- When the oldest unanswered customer message of a conversation trips a "no agent reply" rule.
-- tolerate: duplicate column name
ALTER TABLE conversations ADD COLUMN sla_due_at_ms INTEGER NULL;
-- go
CREATE INDEX IF NOT EXISTS ix_conversations_sla ON conversations (sla_due_at_ms) WHERE sla_due_at_ms IS NOT NULL;
