-- Named queries of the SocialCrm tables (PostgreSQL). Each starts at a "-- name:" line; values are always parameters.

-- name: Ping
SELECT 1;

-- name: FindMessageByDedupeKey
SELECT conversation_id, seq, id, author_id FROM messages WHERE brand_id = @brand_id AND dedupe_key = @dedupe_key;

-- name: InsertMessage
INSERT INTO messages (brand_id, conversation_id, seq, id, channel_id, author_type, author_id, body, visibility, purpose,
                      created_at_ms, sent_at_ms, external_message_id, in_reply_to, dedupe_key, delivery_status, redacted,
                      event_type, event_data, quoted_message_id, sentiment_score)
VALUES (@brand_id, @conversation_id, @seq, @id, @channel_id, @author_type, @author_id, @body, @visibility, @purpose,
        @created_at_ms, @sent_at_ms, @external_message_id, @in_reply_to, @dedupe_key, @delivery_status, false,
        @event_type, @event_data, @quoted_message_id, @sentiment_score);

-- name: UpsertConversation
INSERT INTO conversations (brand_id, id, channel_id, visibility, kind, status, assignee, controller, customer_id,
                           external_thread_id, created_at_ms, last_activity_ms, last_message_at_ms,
                           last_customer_message_at_ms, message_count, last_seq, sentiment_score, sentiment_label,
                           priority, team_id, tags, unread_count, sla_due_at_ms)
VALUES (@brand_id, @id, @channel_id, @visibility, @kind, @status, @assignee, @controller, @customer_id,
        @external_thread_id, @created_at_ms, @last_activity_ms, @last_message_at_ms,
        @last_customer_message_at_ms, @message_count, @last_seq, @sentiment_score, @sentiment_label,
        @priority, @team_id, @tags, @unread_count, @sla_due_at_ms)
ON CONFLICT (brand_id, id) DO UPDATE SET
    status = excluded.status, assignee = excluded.assignee, controller = excluded.controller,
    customer_id = excluded.customer_id, last_activity_ms = excluded.last_activity_ms,
    last_message_at_ms = excluded.last_message_at_ms,
    last_customer_message_at_ms = excluded.last_customer_message_at_ms,
    message_count = excluded.message_count, last_seq = excluded.last_seq,
    sentiment_score = excluded.sentiment_score, sentiment_label = excluded.sentiment_label,
    priority = excluded.priority, team_id = excluded.team_id, tags = excluded.tags, unread_count = excluded.unread_count,
    sla_due_at_ms = excluded.sla_due_at_ms;

-- name: InsertParticipant
INSERT INTO conversation_participants (brand_id, customer_id, conversation_id, joined_at_ms)
VALUES (@brand_id, @customer_id, @conversation_id, @joined_at_ms)
ON CONFLICT DO NOTHING;

-- The three writes of an inbound message again, for a whole group commit at once: one statement per
-- kind with each column an array, instead of one statement per message. Same effect as the single-row
-- forms; the writer uses them when every write of a commit is one of these.
-- name: InsertMessage+rows
INSERT INTO messages (brand_id, conversation_id, seq, id, channel_id, author_type, author_id, body, visibility, purpose,
                      created_at_ms, sent_at_ms, external_message_id, in_reply_to, dedupe_key, delivery_status, redacted,
                      event_type, event_data, quoted_message_id, sentiment_score)
SELECT brand_id, conversation_id, seq, id, channel_id, author_type, author_id, body, visibility, purpose,
       created_at_ms, sent_at_ms, external_message_id, in_reply_to, dedupe_key, delivery_status, false,
       event_type, event_data, quoted_message_id, sentiment_score
FROM unnest(@brand_id::text[], @conversation_id::text[], @seq::bigint[], @id::text[], @channel_id::text[],
            @author_type::text[], @author_id::text[], @body::text[], @visibility::text[], @purpose::text[],
            @created_at_ms::bigint[], @sent_at_ms::bigint[], @external_message_id::text[], @in_reply_to::text[],
            @dedupe_key::text[], @delivery_status::text[], @event_type::text[], @event_data::text[],
            @quoted_message_id::text[], @sentiment_score::double precision[])
     AS r(brand_id, conversation_id, seq, id, channel_id, author_type, author_id, body, visibility, purpose,
          created_at_ms, sent_at_ms, external_message_id, in_reply_to, dedupe_key, delivery_status, event_type,
          event_data, quoted_message_id, sentiment_score);

-- name: UpsertConversation+rows
-- A conversation moved twice in one commit keeps its later row (an upsert may touch a row only once).
INSERT INTO conversations (brand_id, id, channel_id, visibility, kind, status, assignee, controller, customer_id,
                           external_thread_id, created_at_ms, last_activity_ms, last_message_at_ms,
                           last_customer_message_at_ms, message_count, last_seq, sentiment_score, sentiment_label,
                           priority, team_id, tags, unread_count, sla_due_at_ms)
SELECT DISTINCT ON (brand_id, id) brand_id, id, channel_id, visibility, kind, status, assignee, controller, customer_id,
       external_thread_id, created_at_ms, last_activity_ms, last_message_at_ms, last_customer_message_at_ms,
       message_count, last_seq, sentiment_score, sentiment_label, priority, team_id, tags, unread_count, sla_due_at_ms
FROM unnest(@brand_id::text[], @id::text[], @channel_id::text[], @visibility::text[], @kind::text[], @status::text[],
            @assignee::text[], @controller::text[], @customer_id::text[], @external_thread_id::text[],
            @created_at_ms::bigint[], @last_activity_ms::bigint[], @last_message_at_ms::bigint[],
            @last_customer_message_at_ms::bigint[], @message_count::bigint[], @last_seq::bigint[],
            @sentiment_score::double precision[], @sentiment_label::text[],
            @priority::text[], @team_id::text[], @tags::text[], @unread_count::bigint[],
            @sla_due_at_ms::bigint[]) WITH ORDINALITY
     AS r(brand_id, id, channel_id, visibility, kind, status, assignee, controller, customer_id, external_thread_id,
          created_at_ms, last_activity_ms, last_message_at_ms, last_customer_message_at_ms, message_count, last_seq,
          sentiment_score, sentiment_label, priority, team_id, tags, unread_count, sla_due_at_ms, ord)
ORDER BY brand_id, id, ord DESC
ON CONFLICT (brand_id, id) DO UPDATE SET
    status = excluded.status, assignee = excluded.assignee, controller = excluded.controller,
    customer_id = excluded.customer_id, last_activity_ms = excluded.last_activity_ms,
    last_message_at_ms = excluded.last_message_at_ms,
    last_customer_message_at_ms = excluded.last_customer_message_at_ms,
    message_count = excluded.message_count, last_seq = excluded.last_seq,
    sentiment_score = excluded.sentiment_score, sentiment_label = excluded.sentiment_label,
    priority = excluded.priority, team_id = excluded.team_id, tags = excluded.tags, unread_count = excluded.unread_count,
    sla_due_at_ms = excluded.sla_due_at_ms;

-- name: InsertParticipant+rows
INSERT INTO conversation_participants (brand_id, customer_id, conversation_id, joined_at_ms)
SELECT * FROM unnest(@brand_id::text[], @customer_id::text[], @conversation_id::text[], @joined_at_ms::bigint[])
ON CONFLICT DO NOTHING;

-- name: LoadConversation
SELECT last_seq, message_count, last_message_at_ms, last_customer_message_at_ms, last_activity_ms,
       channel_id, visibility, kind, status, assignee, controller, customer_id, external_thread_id, created_at_ms,
       sentiment_score, sentiment_label, priority, team_id, tags, unread_count, sla_due_at_ms
FROM conversations WHERE brand_id = @brand_id AND id = @id;

-- name: ReadMessages
SELECT seq, id, author_type, author_id, body, created_at_ms, visibility, delivery_status, redacted,
       external_message_id, in_reply_to, purpose, event_type, event_data, quoted_message_id, sent_at_ms, sentiment_score, last_error
FROM messages
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND seq > @after_seq
ORDER BY seq
LIMIT @limit;

-- name: BrandEntriesBetween
-- The brand's live event stream: log entries in id order (ids sort by creation time), through the id index.
SELECT id, conversation_id, seq, channel_id, author_type, author_id, visibility, event_type, event_data, created_at_ms
FROM messages
WHERE brand_id = @brand_id AND id > @after_id AND id < @before_id
ORDER BY id
LIMIT @limit;

-- name: ListInbox
SELECT c.id, c.channel_id, c.visibility, c.kind, c.status, c.customer_id, c.assignee, c.controller,
       c.last_activity_ms, c.message_count, c.external_thread_id, c.sentiment_score, c.sentiment_label,
       c.priority, c.team_id, c.tags, c.unread_count
FROM conversations c
WHERE c.brand_id = @brand_id
  AND (@status IS NULL OR c.status = @status)
  AND (@channel_id IS NULL OR c.channel_id = @channel_id)
  AND (@visibility IS NULL OR c.visibility = @visibility)
  AND (@sentiment IS NULL OR c.sentiment_label = @sentiment)
  AND (@priority IS NULL OR c.priority = @priority)
  AND (@team_id IS NULL OR c.team_id = @team_id)
  AND (@unread = 0 OR c.unread_count > 0)
  AND (@tag IS NULL OR EXISTS (SELECT 1 FROM conversation_tags t
                               WHERE t.brand_id = c.brand_id AND t.tag = @tag AND t.conversation_id = c.id))
  AND (@name_like IS NULL OR EXISTS (SELECT 1 FROM customers cu
                                     WHERE cu.brand_id = c.brand_id AND cu.id = c.customer_id
                                       AND cu.search_name LIKE @name_like))
  AND (@assignee IS NULL OR c.assignee = @assignee)
  AND (@customer_id IS NULL OR EXISTS (SELECT 1 FROM conversation_participants p
                                       WHERE p.brand_id = c.brand_id AND p.customer_id = @customer_id
                                         AND p.conversation_id = c.id))
  AND (@cursor_ms IS NULL OR c.last_activity_ms < @cursor_ms
       OR (c.last_activity_ms = @cursor_ms AND c.id < @cursor_id))
ORDER BY c.last_activity_ms DESC, c.id DESC
LIMIT @limit;

-- name: CountUnreadInbox
-- How many conversations of a filter hold unread customer messages, counted up to a cap so a flood
-- costs a bounded scan.
SELECT COUNT(*) FROM (SELECT 1
FROM conversations c
WHERE c.brand_id = @brand_id
  AND (@status IS NULL OR c.status = @status)
  AND (@channel_id IS NULL OR c.channel_id = @channel_id)
  AND (@visibility IS NULL OR c.visibility = @visibility)
  AND (@sentiment IS NULL OR c.sentiment_label = @sentiment)
  AND (@priority IS NULL OR c.priority = @priority)
  AND (@team_id IS NULL OR c.team_id = @team_id)
  AND (@unread = 0 OR c.unread_count > 0)
  AND (@tag IS NULL OR EXISTS (SELECT 1 FROM conversation_tags t
                               WHERE t.brand_id = c.brand_id AND t.tag = @tag AND t.conversation_id = c.id))
  AND (@name_like IS NULL OR EXISTS (SELECT 1 FROM customers cu
                                     WHERE cu.brand_id = c.brand_id AND cu.id = c.customer_id
                                       AND cu.search_name LIKE @name_like))
  AND (@assignee IS NULL OR c.assignee = @assignee)
  AND (@customer_id IS NULL OR EXISTS (SELECT 1 FROM conversation_participants p
                                       WHERE p.brand_id = c.brand_id AND p.customer_id = @customer_id
                                         AND p.conversation_id = c.id))
  AND c.unread_count > 0
LIMIT @cap) x;

-- name: DeleteConversationTags
DELETE FROM conversation_tags WHERE brand_id = @brand_id AND conversation_id = @conversation_id;

-- name: InsertConversationTag
INSERT INTO conversation_tags (brand_id, tag, conversation_id) VALUES (@brand_id, @tag, @conversation_id);

-- name: MarkConversationSeen
UPDATE conversations SET unread_count = 0 WHERE brand_id = @brand_id AND id = @id;

-- name: ListInboxAssigned
-- The same, for one assignee: a separate statement so the planner can take the assignee index.
SELECT c.id, c.channel_id, c.visibility, c.kind, c.status, c.customer_id, c.assignee, c.controller,
       c.last_activity_ms, c.message_count, c.external_thread_id, c.sentiment_score, c.sentiment_label,
       c.priority, c.team_id, c.tags, c.unread_count
FROM conversations c
WHERE c.brand_id = @brand_id
  AND (@status IS NULL OR c.status = @status)
  AND (@channel_id IS NULL OR c.channel_id = @channel_id)
  AND (@visibility IS NULL OR c.visibility = @visibility)
  AND (@sentiment IS NULL OR c.sentiment_label = @sentiment)
  AND (@priority IS NULL OR c.priority = @priority)
  AND (@team_id IS NULL OR c.team_id = @team_id)
  AND (@unread = 0 OR c.unread_count > 0)
  AND (@tag IS NULL OR EXISTS (SELECT 1 FROM conversation_tags t
                               WHERE t.brand_id = c.brand_id AND t.tag = @tag AND t.conversation_id = c.id))
  AND (@name_like IS NULL OR EXISTS (SELECT 1 FROM customers cu
                                     WHERE cu.brand_id = c.brand_id AND cu.id = c.customer_id
                                       AND cu.search_name LIKE @name_like))
  AND c.assignee = @assignee
  AND (@customer_id IS NULL OR EXISTS (SELECT 1 FROM conversation_participants p
                                       WHERE p.brand_id = c.brand_id AND p.customer_id = @customer_id
                                         AND p.conversation_id = c.id))
  AND (@cursor_ms IS NULL OR c.last_activity_ms < @cursor_ms
       OR (c.last_activity_ms = @cursor_ms AND c.id < @cursor_id))
ORDER BY c.last_activity_ms DESC, c.id DESC
LIMIT @limit;


-- name: ConversationsOfCustomer
SELECT conversation_id FROM conversation_participants
WHERE brand_id = @brand_id AND customer_id = @customer_id
ORDER BY joined_at_ms, conversation_id;

-- name: ParticipantsOfConversation
SELECT customer_id FROM conversation_participants
WHERE brand_id = @brand_id AND conversation_id = @conversation_id
ORDER BY joined_at_ms, customer_id
LIMIT @limit;

-- name: FindMessageById
SELECT conversation_id, seq, author_type, author_id, body, visibility, sent_at_ms, redacted, external_message_id
FROM messages WHERE brand_id = @brand_id AND id = @id;

-- name: LatestCustomerMessage
SELECT id, author_id, sent_at_ms, external_message_id FROM messages
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND author_type = 'customer'
ORDER BY seq DESC
LIMIT 1;

-- name: PendingOutbound
SELECT seq, id, body, attempts, in_reply_to, author_type FROM messages
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND delivery_status = 'pending'
ORDER BY seq;

-- name: ConversationsWithPendingOutbound
SELECT brand_id, conversation_id FROM messages
WHERE delivery_status = 'pending' AND created_at_ms < @before_ms
GROUP BY brand_id, conversation_id
LIMIT @limit;

-- name: UpdateDelivery
UPDATE messages SET delivery_status = @delivery_status, attempts = @attempts, last_error = @last_error,
    external_message_id = COALESCE(@external_message_id, external_message_id)
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND seq = @seq;

-- Privacy: the customer and consent projections, export, erasure and retention.

-- name: ApiKeyExists
SELECT 1 FROM api_keys WHERE key_hash = @key_hash;

-- name: IndexApiKey
INSERT INTO api_keys (key_hash) VALUES (@key_hash) ON CONFLICT DO NOTHING;

-- name: IndexStoredApiKeys
-- Keys issued before the index existed: their grains' state rows name them (the grain key is the hash).
INSERT INTO api_keys (key_hash)
SELECT GrainIdExtensionString FROM OrleansStorage
WHERE GrainTypeString = 'apikey' AND ServiceId = @service_id AND GrainIdExtensionString IS NOT NULL
ON CONFLICT DO NOTHING;

-- name: InsertCustomer
INSERT INTO customers (brand_id, id, created_at_ms, erased_at_ms, search_name) VALUES (@brand_id, @id, @created_at_ms, NULL, @search_name)
ON CONFLICT (brand_id, id) DO UPDATE SET search_name = excluded.search_name WHERE customers.erased_at_ms IS NULL;

-- name: MarkCustomerErased
UPDATE customers SET erased_at_ms = @erased_at_ms, search_name = NULL WHERE brand_id = @brand_id AND id = @id;

-- name: ListCustomers
SELECT id, created_at_ms FROM customers
WHERE brand_id = @brand_id AND erased_at_ms IS NULL AND (@after_id IS NULL OR id > @after_id)
ORDER BY id
LIMIT @limit;

-- name: UpsertConsent
INSERT INTO consents (brand_id, purpose, customer_id, status, lawful_basis, source, policy_version, recorded_at_ms, expires_at_ms)
VALUES (@brand_id, @purpose, @customer_id, @status, @lawful_basis, @source, @policy_version, @recorded_at_ms, @expires_at_ms)
ON CONFLICT (brand_id, purpose, customer_id) DO UPDATE SET
    status = excluded.status, lawful_basis = excluded.lawful_basis, source = excluded.source,
    policy_version = excluded.policy_version, recorded_at_ms = excluded.recorded_at_ms, expires_at_ms = excluded.expires_at_ms;

-- name: DeleteConsentsOfCustomer
DELETE FROM consents WHERE brand_id = @brand_id AND customer_id = @customer_id;

-- name: ConsentReport
SELECT c.id, s.status, s.lawful_basis, s.source, s.policy_version, s.recorded_at_ms, s.expires_at_ms
FROM customers c
LEFT JOIN consents s ON s.brand_id = c.brand_id AND s.customer_id = c.id AND s.purpose = @purpose
WHERE c.brand_id = @brand_id AND c.erased_at_ms IS NULL
  AND (@status IS NULL OR COALESCE(s.status, 'unknown') = @status)
ORDER BY c.id;

-- name: ExportMessages
SELECT m.conversation_id, m.seq, m.id, m.author_type, m.author_id, m.body, m.created_at_ms, m.visibility, m.redacted,
       m.external_message_id, m.event_type, m.delivery_status, m.sentiment_score
FROM messages m
JOIN conversation_participants p
  ON p.brand_id = m.brand_id AND p.conversation_id = m.conversation_id AND p.customer_id = @customer_id
WHERE m.brand_id = @brand_id AND (m.author_type <> 'customer' OR m.author_id = @customer_id)
ORDER BY m.conversation_id, m.seq;

-- name: RedactQuotesOfCustomer
-- A customer's messages are found through the conversations they took part in (their participant
-- rows, deleted only after these statements), not through an index on the author: such an index is
-- written by every message and read only by an erasure.
UPDATE messages SET body = NULL, sentiment_score = NULL, redacted = true
WHERE brand_id = @brand_id AND body IS NOT NULL AND quoted_message_id IN
    (SELECT m.id FROM messages m
     WHERE m.brand_id = @brand_id AND m.author_type = 'customer' AND m.author_id = @customer_id
       AND m.conversation_id IN (SELECT p.conversation_id FROM conversation_participants p
                                 WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id));

-- name: UnlinkRepliesToCustomer
-- The brand's replies keep no pointer to the customer's messages on the platform (run before their ids go).
UPDATE messages SET in_reply_to = NULL
WHERE brand_id = @brand_id AND author_type <> 'customer' AND in_reply_to IS NOT NULL
  AND conversation_id IN (SELECT p.conversation_id FROM conversation_participants p
                          WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id)
  AND in_reply_to IN (SELECT m.external_message_id FROM messages m
                      WHERE m.brand_id = @brand_id AND m.author_type = 'customer' AND m.author_id = @customer_id
                        AND m.external_message_id IS NOT NULL
                        AND m.conversation_id IN (SELECT p.conversation_id FROM conversation_participants p
                                                  WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id));

-- name: RedactMessagesOfCustomer
-- Their words, and the platform's ids of them (a WhatsApp message id encodes the phone number); the
-- idempotency key holds that id too, so a platform resending an erased message stores it afresh.
UPDATE messages SET body = NULL, sentiment_score = NULL, redacted = true, external_message_id = NULL, in_reply_to = NULL, dedupe_key = NULL
WHERE brand_id = @brand_id AND author_type = 'customer' AND author_id = @customer_id
  AND (body IS NOT NULL OR external_message_id IS NOT NULL OR in_reply_to IS NOT NULL OR dedupe_key IS NOT NULL)
  AND conversation_id IN (SELECT p.conversation_id FROM conversation_participants p
                          WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id);

-- name: RedactPrivateConversationsOfCustomer
-- In their private conversations the brand's words are about them too ("we will ship to ..."): bodies,
-- platform ids and the platform's last error go; the history of events (ids and times) stays.
UPDATE messages SET body = NULL, sentiment_score = NULL, redacted = true, external_message_id = NULL, in_reply_to = NULL, last_error = NULL
WHERE brand_id = @brand_id AND event_type IS NULL
  AND (body IS NOT NULL OR external_message_id IS NOT NULL OR in_reply_to IS NOT NULL OR last_error IS NOT NULL)
  AND conversation_id IN (SELECT c.id FROM conversations c
                          WHERE c.brand_id = @brand_id AND c.visibility = 'private' AND c.customer_id = @customer_id);

-- name: ForgetPrivateThreadsOfCustomer
UPDATE conversations SET external_thread_id = NULL, sentiment_score = NULL, sentiment_label = NULL
WHERE brand_id = @brand_id AND visibility = 'private' AND customer_id = @customer_id
  AND (external_thread_id IS NOT NULL OR sentiment_score IS NOT NULL);

-- name: CancelPendingToCustomer
UPDATE messages SET delivery_status = 'cancelled'
WHERE brand_id = @brand_id AND delivery_status = 'pending' AND conversation_id IN
    (SELECT id FROM conversations WHERE brand_id = @brand_id AND visibility = 'private' AND customer_id = @customer_id);

-- name: PrivateConversationsOfCustomer
SELECT id FROM conversations WHERE brand_id = @brand_id AND visibility = 'private' AND customer_id = @customer_id;

-- name: DeleteParticipantsOfCustomer
DELETE FROM conversation_participants WHERE brand_id = @brand_id AND customer_id = @customer_id;

-- name: PurgeMessagesBefore
-- Message ids sort by creation time (Ids.NewTimeOrdered): the id index finds the old ones, and no index
-- on the creation time has to be written by every message. @before_id is the smallest id of @before_ms.
UPDATE messages SET body = NULL, sentiment_score = NULL, redacted = true
WHERE brand_id = @brand_id AND id < @before_id AND created_at_ms < @before_ms AND body IS NOT NULL;

-- Audit: an append-only, hash-chained log per brand.

-- name: InsertAudit
INSERT INTO audit_log (brand_id, seq, at_ms, actor, action, customer_id, resource, hash)
VALUES (@brand_id, @seq, @at_ms, @actor, @action, @customer_id, @resource, @hash);

-- name: LastAudit
SELECT seq, hash FROM audit_log WHERE brand_id = @brand_id ORDER BY seq DESC
LIMIT 1;

-- name: ListAudit
SELECT seq, at_ms, actor, action, customer_id, resource, hash FROM audit_log
WHERE brand_id = @brand_id AND seq > @after_seq
  AND (@customer_id IS NULL OR customer_id = @customer_id)
  AND (@actor IS NULL OR actor = @actor)
  AND (@from_ms IS NULL OR at_ms >= @from_ms)
  AND (@to_ms IS NULL OR at_ms < @to_ms)
ORDER BY seq
LIMIT @limit;

-- name: AuditChain
SELECT seq, at_ms, actor, action, customer_id, resource, hash FROM audit_log
WHERE brand_id = @brand_id ORDER BY seq;

-- Webhooks: subscriptions and the delivery outbox, written in the same transaction as the events.

-- name: InsertWebhook
INSERT INTO webhooks (brand_id, id, url, secret, events, created_at_ms) VALUES (@brand_id, @id, @url, @secret, @events, @created_at_ms)
ON CONFLICT DO NOTHING;

-- name: WebhooksOfBrand
SELECT id, url, secret, events FROM webhooks WHERE brand_id = @brand_id ORDER BY id;

-- name: InsertDelivery
INSERT INTO webhook_deliveries (brand_id, id, webhook_id, lane, lane_seq, event_type, customer_id, payload, status, attempts,
                                last_error, created_at_ms, next_attempt_at_ms, delivered_at_ms)
VALUES (@brand_id, @id, @webhook_id, @lane, @lane_seq, @event_type, @customer_id, @payload, 'pending', 0, NULL, @created_at_ms, @created_at_ms, NULL);

-- name: PendingDeliveries
SELECT id, lane, event_type, payload, attempts, next_attempt_at_ms, created_at_ms FROM webhook_deliveries
WHERE brand_id = @brand_id AND webhook_id = @webhook_id AND status = 'pending'
ORDER BY created_at_ms, lane_seq, id
LIMIT @limit;

-- name: UpdateDeliveryAttempt
UPDATE webhook_deliveries SET status = @status, attempts = @attempts, last_error = @last_error,
    next_attempt_at_ms = @next_attempt_at_ms, delivered_at_ms = @delivered_at_ms
WHERE brand_id = @brand_id AND id = @id;

-- name: ListDeliveries
SELECT id, event_type, lane, status, attempts, last_error, created_at_ms, delivered_at_ms FROM webhook_deliveries
WHERE brand_id = @brand_id AND webhook_id = @webhook_id AND (@status IS NULL OR status = @status)
ORDER BY created_at_ms, id
LIMIT @limit;

-- name: Redeliver
UPDATE webhook_deliveries SET status = 'pending', attempts = 0, last_error = NULL, next_attempt_at_ms = @now_ms, delivered_at_ms = NULL
WHERE brand_id = @brand_id AND webhook_id = @webhook_id AND id = @id;

-- name: WebhooksWithDueDeliveries
SELECT brand_id, webhook_id FROM webhook_deliveries
WHERE status = 'pending' AND next_attempt_at_ms <= @now_ms
GROUP BY brand_id, webhook_id
LIMIT @limit;

-- name: RedactDeliveriesOfCustomer
UPDATE webhook_deliveries SET payload = NULL, status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END
WHERE brand_id = @brand_id AND customer_id = @customer_id AND payload IS NOT NULL;

-- name: UpsertChannelHealth
INSERT INTO channel_health (brand_id, channel_id, platform, state, since_ms, detail)
VALUES (@brand_id, @channel_id, @platform, @state, @since_ms, @detail)
ON CONFLICT (brand_id, channel_id) DO UPDATE SET
    platform = excluded.platform, state = excluded.state, since_ms = excluded.since_ms, detail = excluded.detail;

-- name: UnhealthyChannels
SELECT brand_id, channel_id, platform, state, since_ms, detail FROM channel_health
WHERE state <> 'ok'
ORDER BY since_ms, brand_id, channel_id
LIMIT @limit;

-- Secrets at rest: the key ring of a cluster, and the webhook secrets an earlier version stored in clear.

-- name: KeyRingElements
SELECT xml FROM data_protection_keys ORDER BY friendly_name;

-- name: StoreKeyRingElement
INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@friendly_name, @xml)
ON CONFLICT (friendly_name) DO UPDATE SET xml = EXCLUDED.xml;

-- name: LockKeyRing
SELECT pg_advisory_xact_lock(1396917843);

-- name: AllWebhookSecrets
SELECT brand_id, id, secret FROM webhooks;

-- name: SealWebhookSecret
UPDATE webhooks SET secret = @sealed WHERE brand_id = @brand_id AND id = @id AND secret = @secret;

-- Insights: aggregates added to by each node's tally, once a second.

-- name: AddMood
INSERT INTO insight_mood (brand_id, granularity, bucket_start_ms, channel_id, visibility, messages, positive, neutral, negative, score_sum)
VALUES (@brand_id, @granularity, @bucket_start_ms, @channel_id, @visibility, @messages, @positive, @neutral, @negative, @score_sum)
ON CONFLICT (brand_id, granularity, bucket_start_ms, channel_id, visibility) DO UPDATE SET
    messages = insight_mood.messages + excluded.messages, positive = insight_mood.positive + excluded.positive,
    neutral = insight_mood.neutral + excluded.neutral, negative = insight_mood.negative + excluded.negative,
    score_sum = insight_mood.score_sum + excluded.score_sum;

-- name: AddTerm
INSERT INTO insight_terms (brand_id, day_ms, channel_id, kind, term, mentions, example1, example2, example3)
VALUES (@brand_id, @day_ms, @channel_id, @kind, @term, @mentions, @example1, @example2, @example3)
ON CONFLICT (brand_id, kind, day_ms, term, channel_id) DO UPDATE SET
    mentions = insight_terms.mentions + excluded.mentions,
    example1 = COALESCE(insight_terms.example1, excluded.example1),
    example2 = COALESCE(insight_terms.example2, excluded.example2),
    example3 = COALESCE(insight_terms.example3, excluded.example3);

-- name: MoodBuckets
SELECT bucket_start_ms, SUM(messages), SUM(positive), SUM(neutral), SUM(negative), SUM(score_sum)
FROM insight_mood
WHERE brand_id = @brand_id AND granularity = @granularity AND bucket_start_ms >= @from_ms AND bucket_start_ms < @to_ms
  AND (@channel_id IS NULL OR channel_id = @channel_id)
  AND (@visibility IS NULL OR visibility = @visibility)
GROUP BY bucket_start_ms
ORDER BY bucket_start_ms;

-- name: MoodBaseline
-- A brand's usual level per channel: its minute buckets over the baseline period (the spike detector's yardstick).
SELECT channel_id, SUM(messages), SUM(negative)
FROM insight_mood
WHERE brand_id = @brand_id AND granularity = 'm' AND bucket_start_ms >= @from_ms AND bucket_start_ms < @to_ms
GROUP BY channel_id;

-- name: TopTerms
SELECT term, SUM(mentions) AS total, MAX(example1), MAX(example2), MAX(example3)
FROM insight_terms
WHERE brand_id = @brand_id AND kind = @kind AND day_ms >= @from_ms AND day_ms < @to_ms
  AND (@channel_id IS NULL OR channel_id = @channel_id)
GROUP BY term
ORDER BY total DESC, term
LIMIT @limit;

-- name: ClearTermExamplesOfCustomer
-- Run before the participant rows go: they are how a customer's messages are found.
UPDATE insight_terms SET
    example1 = CASE WHEN example1 IN (SELECT m.id FROM messages m WHERE m.brand_id = @brand_id AND m.author_type = 'customer'
        AND m.author_id = @customer_id AND m.conversation_id IN (SELECT p.conversation_id FROM conversation_participants p
                                                                 WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id))
        THEN NULL ELSE example1 END,
    example2 = CASE WHEN example2 IN (SELECT m.id FROM messages m WHERE m.brand_id = @brand_id AND m.author_type = 'customer'
        AND m.author_id = @customer_id AND m.conversation_id IN (SELECT p.conversation_id FROM conversation_participants p
                                                                 WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id))
        THEN NULL ELSE example2 END,
    example3 = CASE WHEN example3 IN (SELECT m.id FROM messages m WHERE m.brand_id = @brand_id AND m.author_type = 'customer'
        AND m.author_id = @customer_id AND m.conversation_id IN (SELECT p.conversation_id FROM conversation_participants p
                                                                 WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id))
        THEN NULL ELSE example3 END
WHERE brand_id = @brand_id
  AND (example1 IS NOT NULL OR example2 IS NOT NULL OR example3 IS NOT NULL);

-- name: InsertAlert
INSERT INTO insight_alerts (brand_id, id, kind, status, channel_id, window_start_ms, detected_at_ms, resolved_at_ms,
                            negative_share, baseline_share, messages, baseline_messages, sample_ids)
VALUES (@brand_id, @id, @kind, @status, @channel_id, @window_start_ms, @detected_at_ms, NULL,
        @negative_share, @baseline_share, @messages, @baseline_messages, @sample_ids);

-- name: ResolveAlert
UPDATE insight_alerts SET status = 'resolved', resolved_at_ms = @resolved_at_ms
WHERE brand_id = @brand_id AND id = @id AND status = 'raised';

-- name: ListAlerts
-- Newest first; ids sort by detection time.
SELECT id, kind, status, channel_id, window_start_ms, detected_at_ms, resolved_at_ms, negative_share, baseline_share,
       messages, baseline_messages, sample_ids
FROM insight_alerts
WHERE brand_id = @brand_id
  AND (@status IS NULL OR status = @status)
  AND (@from_ms IS NULL OR detected_at_ms >= @from_ms)
  AND (@to_ms IS NULL OR detected_at_ms < @to_ms)
  AND (@before_id IS NULL OR id < @before_id)
ORDER BY id DESC
LIMIT @limit;

-- name: RecentAlerts
-- What the spike detector must remember after a restart: episodes still open, and those inside their cool-down.
SELECT id, kind, status, channel_id, window_start_ms, detected_at_ms, resolved_at_ms, negative_share, baseline_share,
       messages, baseline_messages, sample_ids
FROM insight_alerts
WHERE brand_id = @brand_id AND (status = 'raised' OR detected_at_ms >= @since_ms);

-- name: CustomerMood
-- One person's mood: read only where profiling is allowed (the grain checks), never stored.
SELECT COUNT(*),
       SUM(CASE WHEN m.sentiment_score >= 0.05 THEN 1 ELSE 0 END),
       SUM(CASE WHEN m.sentiment_score <= -0.05 THEN 1 ELSE 0 END),
       SUM(m.sentiment_score),
       SUM(CASE WHEN m.sent_at_ms >= @recent_from_ms THEN 1 ELSE 0 END),
       SUM(CASE WHEN m.sent_at_ms >= @recent_from_ms THEN m.sentiment_score ELSE 0 END)
FROM messages m
WHERE m.brand_id = @brand_id AND m.author_type = 'customer' AND m.author_id = @customer_id AND m.sentiment_score IS NOT NULL
  AND m.conversation_id IN (SELECT p.conversation_id FROM conversation_participants p
                            WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id);

-- name: InsertAutomationRun
INSERT INTO automation_runs (brand_id, id, conversation_id, rule_id, trigger_type, message_id, rule_json, status, reason,
                             attempts, created_at_ms, done_at_ms)
VALUES (@brand_id, @id, @conversation_id, @rule_id, @trigger_type, @message_id, @rule_json, @status, @reason, 0, @created_at_ms,
        @done_at_ms);

-- name: PendingAutomationRuns
SELECT id, rule_id, trigger_type, message_id, rule_json, attempts, created_at_ms FROM automation_runs
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND status = 'pending'
ORDER BY created_at_ms, id;

-- name: CompleteAutomationRun
UPDATE automation_runs SET status = @status, reason = @reason, attempts = @attempts, done_at_ms = @done_at_ms
WHERE brand_id = @brand_id AND id = @id AND status = 'pending';

-- name: RetryAutomationRun
UPDATE automation_runs SET attempts = @attempts WHERE brand_id = @brand_id AND id = @id AND status = 'pending';

-- name: ConversationsWithPendingAutomation
SELECT brand_id, conversation_id FROM automation_runs
WHERE status = 'pending' AND created_at_ms < @before_ms
GROUP BY brand_id, conversation_id
LIMIT @limit;

-- name: AutomationRuleCounts
SELECT rule_id, status, reason, COUNT(*) FROM automation_runs
WHERE brand_id = @brand_id
GROUP BY rule_id, status, reason;

-- name: ConversationsDueForSla
SELECT brand_id, id FROM conversations
WHERE sla_due_at_ms IS NOT NULL AND sla_due_at_ms <= @now_ms
ORDER BY sla_due_at_ms
LIMIT @limit;

-- name: FirstUnansweredCustomerMessage
-- The customer message an agent owes an answer to the longest: the first after the last agent reply.
SELECT id, sent_at_ms, body, sentiment_score FROM messages
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND author_type = 'customer'
  AND seq > COALESCE((SELECT MAX(a.seq) FROM messages a
                      WHERE a.brand_id = @brand_id AND a.conversation_id = @conversation_id AND a.author_type = 'agent'), 0)
ORDER BY seq
LIMIT 1;

-- name: RulesRunOnMessage
SELECT rule_id FROM automation_runs
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND message_id = @message_id AND trigger_type = @trigger_type;
