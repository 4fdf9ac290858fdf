-- Named queries of the SocialCrm tables (SQL Server). Each starts at a "-- name:" line; values are always parameters.

-- name: Ping
SELECT 1;

-- name: FindMessageByDedupeKey
SELECT conversation_id, seq, id, author_id FROM dbo.messages WHERE brand_id = @brand_id AND dedupe_key = @dedupe_key;

-- name: InsertMessage
INSERT INTO dbo.messages (brand_id, conversation_id, seq, id, channel_id, author_type, author_id, body, visibility, purpose,
                          created_at_ms, sent_at_ms, external_message_id, in_reply_to, dedupe_key, delivery_status, redacted,
                      event_type, event_data, quoted_message_id, sentiment_score)
VALUES (@brand_id, @conversation_id, @seq, @id, @channel_id, @author_type, @author_id, @body, @visibility, @purpose,
        @created_at_ms, @sent_at_ms, @external_message_id, @in_reply_to, @dedupe_key, @delivery_status, 0,
        @event_type, @event_data, @quoted_message_id, @sentiment_score);

-- name: UpsertConversation
MERGE dbo.conversations WITH (HOLDLOCK) AS target
USING (SELECT @brand_id AS brand_id, @id AS id) AS source
ON target.brand_id = source.brand_id AND target.id = source.id
WHEN MATCHED THEN UPDATE SET
    status = @status, assignee = @assignee, controller = @controller, customer_id = @customer_id,
    last_activity_ms = @last_activity_ms, last_message_at_ms = @last_message_at_ms,
    last_customer_message_at_ms = @last_customer_message_at_ms, message_count = @message_count, last_seq = @last_seq,
    sentiment_score = @sentiment_score, sentiment_label = @sentiment_label,
    priority = @priority, team_id = @team_id, tags = @tags, unread_count = @unread_count, sla_due_at_ms = @sla_due_at_ms
WHEN NOT MATCHED THEN INSERT (brand_id, id, channel_id, visibility, kind, status, assignee, controller, customer_id,
                              external_thread_id, created_at_ms, last_activity_ms, last_message_at_ms,
                              last_customer_message_at_ms, message_count, last_seq, sentiment_score, sentiment_label,
                              priority, team_id, tags, unread_count, sla_due_at_ms)
    VALUES (@brand_id, @id, @channel_id, @visibility, @kind, @status, @assignee, @controller, @customer_id,
            @external_thread_id, @created_at_ms, @last_activity_ms, @last_message_at_ms,
            @last_customer_message_at_ms, @message_count, @last_seq, @sentiment_score, @sentiment_label,
        @priority, @team_id, @tags, @unread_count, @sla_due_at_ms);

-- name: InsertParticipant
IF NOT EXISTS (SELECT 1 FROM dbo.conversation_participants
               WHERE brand_id = @brand_id AND customer_id = @customer_id AND conversation_id = @conversation_id)
INSERT INTO dbo.conversation_participants (brand_id, customer_id, conversation_id, joined_at_ms)
VALUES (@brand_id, @customer_id, @conversation_id, @joined_at_ms);

-- name: LoadConversation
SELECT last_seq, message_count, last_message_at_ms, last_customer_message_at_ms, last_activity_ms,
       channel_id, visibility, kind, status, assignee, controller, customer_id, external_thread_id, created_at_ms,
       sentiment_score, sentiment_label, priority, team_id, tags, unread_count, sla_due_at_ms
FROM dbo.conversations WHERE brand_id = @brand_id AND id = @id;

-- name: ReadMessages
SELECT TOP (@limit) seq, id, author_type, author_id, body, created_at_ms, visibility, delivery_status, redacted,
       external_message_id, in_reply_to, purpose, event_type, event_data, quoted_message_id, sent_at_ms, sentiment_score, last_error
FROM dbo.messages
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND seq > @after_seq
ORDER BY seq;

-- name: BrandEntriesBetween
-- The brand's live event stream: log entries in id order (ids sort by creation time), through the id index.
SELECT TOP (@limit) id, conversation_id, seq, channel_id, author_type, author_id, visibility, event_type, event_data, created_at_ms
FROM dbo.messages
WHERE brand_id = @brand_id AND id > @after_id AND id < @before_id
ORDER BY id;

-- name: ListInbox
SELECT TOP (@limit) c.id, c.channel_id, c.visibility, c.kind, c.status, c.customer_id, c.assignee, c.controller,
       c.last_activity_ms, c.message_count, c.external_thread_id, c.sentiment_score, c.sentiment_label,
       c.priority, c.team_id, c.tags, c.unread_count
FROM dbo.conversations c
WHERE c.brand_id = @brand_id
  AND (@status IS NULL OR c.status = @status)
  AND (@channel_id IS NULL OR c.channel_id = @channel_id)
  AND (@visibility IS NULL OR c.visibility = @visibility)
  AND (@sentiment IS NULL OR c.sentiment_label = @sentiment)
  AND (@priority IS NULL OR c.priority = @priority)
  AND (@team_id IS NULL OR c.team_id = @team_id)
  AND (@unread = 0 OR c.unread_count > 0)
  AND (@tag IS NULL OR EXISTS (SELECT 1 FROM dbo.conversation_tags t
                               WHERE t.brand_id = c.brand_id AND t.tag = @tag AND t.conversation_id = c.id))
  AND (@name_like IS NULL OR EXISTS (SELECT 1 FROM dbo.customers cu
                                     WHERE cu.brand_id = c.brand_id AND cu.id = c.customer_id
                                       AND cu.search_name LIKE @name_like))
  AND (@assignee IS NULL OR c.assignee = @assignee)
  AND (@customer_id IS NULL OR EXISTS (SELECT 1 FROM dbo.conversation_participants p
                                       WHERE p.brand_id = c.brand_id AND p.customer_id = @customer_id
                                         AND p.conversation_id = c.id))
  AND (@cursor_ms IS NULL OR c.last_activity_ms < @cursor_ms
       OR (c.last_activity_ms = @cursor_ms AND c.id < @cursor_id))
ORDER BY c.last_activity_ms DESC, c.id DESC
OPTION (RECOMPILE);

-- name: CountUnreadInbox
-- How many conversations of a filter hold unread customer messages, counted up to a cap so a flood
-- costs a bounded scan.
SELECT COUNT(*) FROM (SELECT TOP (@cap) 1 AS one
FROM dbo.conversations c
WHERE c.brand_id = @brand_id
  AND (@status IS NULL OR c.status = @status)
  AND (@channel_id IS NULL OR c.channel_id = @channel_id)
  AND (@visibility IS NULL OR c.visibility = @visibility)
  AND (@sentiment IS NULL OR c.sentiment_label = @sentiment)
  AND (@priority IS NULL OR c.priority = @priority)
  AND (@team_id IS NULL OR c.team_id = @team_id)
  AND (@unread = 0 OR c.unread_count > 0)
  AND (@tag IS NULL OR EXISTS (SELECT 1 FROM dbo.conversation_tags t
                               WHERE t.brand_id = c.brand_id AND t.tag = @tag AND t.conversation_id = c.id))
  AND (@name_like IS NULL OR EXISTS (SELECT 1 FROM dbo.customers cu
                                     WHERE cu.brand_id = c.brand_id AND cu.id = c.customer_id
                                       AND cu.search_name LIKE @name_like))
  AND (@assignee IS NULL OR c.assignee = @assignee)
  AND (@customer_id IS NULL OR EXISTS (SELECT 1 FROM dbo.conversation_participants p
                                       WHERE p.brand_id = c.brand_id AND p.customer_id = @customer_id
                                         AND p.conversation_id = c.id))
  AND c.unread_count > 0) x
OPTION (RECOMPILE);

-- name: DeleteConversationTags
DELETE FROM dbo.conversation_tags WHERE brand_id = @brand_id AND conversation_id = @conversation_id;

-- name: InsertConversationTag
INSERT INTO dbo.conversation_tags (brand_id, tag, conversation_id) VALUES (@brand_id, @tag, @conversation_id);

-- name: MarkConversationSeen
UPDATE dbo.conversations SET unread_count = 0 WHERE brand_id = @brand_id AND id = @id;

-- name: ListInboxAssigned
-- The same, for one assignee: a separate statement so the planner can take the assignee index.
SELECT TOP (@limit) c.id, c.channel_id, c.visibility, c.kind, c.status, c.customer_id, c.assignee, c.controller,
       c.last_activity_ms, c.message_count, c.external_thread_id, c.sentiment_score, c.sentiment_label,
       c.priority, c.team_id, c.tags, c.unread_count
FROM dbo.conversations c
WHERE c.brand_id = @brand_id
  AND (@status IS NULL OR c.status = @status)
  AND (@channel_id IS NULL OR c.channel_id = @channel_id)
  AND (@visibility IS NULL OR c.visibility = @visibility)
  AND (@sentiment IS NULL OR c.sentiment_label = @sentiment)
  AND (@priority IS NULL OR c.priority = @priority)
  AND (@team_id IS NULL OR c.team_id = @team_id)
  AND (@unread = 0 OR c.unread_count > 0)
  AND (@tag IS NULL OR EXISTS (SELECT 1 FROM dbo.conversation_tags t
                               WHERE t.brand_id = c.brand_id AND t.tag = @tag AND t.conversation_id = c.id))
  AND (@name_like IS NULL OR EXISTS (SELECT 1 FROM dbo.customers cu
                                     WHERE cu.brand_id = c.brand_id AND cu.id = c.customer_id
                                       AND cu.search_name LIKE @name_like))
  AND c.assignee = @assignee
  AND (@customer_id IS NULL OR EXISTS (SELECT 1 FROM dbo.conversation_participants p
                                       WHERE p.brand_id = c.brand_id AND p.customer_id = @customer_id
                                         AND p.conversation_id = c.id))
  AND (@cursor_ms IS NULL OR c.last_activity_ms < @cursor_ms
       OR (c.last_activity_ms = @cursor_ms AND c.id < @cursor_id))
ORDER BY c.last_activity_ms DESC, c.id DESC
OPTION (RECOMPILE);


-- name: ConversationsOfCustomer
SELECT conversation_id FROM dbo.conversation_participants
WHERE brand_id = @brand_id AND customer_id = @customer_id
ORDER BY joined_at_ms, conversation_id;

-- name: ParticipantsOfConversation
SELECT TOP (@limit) customer_id FROM dbo.conversation_participants
WHERE brand_id = @brand_id AND conversation_id = @conversation_id
ORDER BY joined_at_ms, customer_id;

-- name: FindMessageById
SELECT conversation_id, seq, author_type, author_id, body, visibility, sent_at_ms, redacted, external_message_id
FROM dbo.messages WHERE brand_id = @brand_id AND id = @id;

-- name: LatestCustomerMessage
SELECT TOP (1) id, author_id, sent_at_ms, external_message_id FROM dbo.messages
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND author_type = 'customer'
ORDER BY seq DESC;

-- name: PendingOutbound
SELECT seq, id, body, attempts, in_reply_to, author_type FROM dbo.messages
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND delivery_status = 'pending'
ORDER BY seq;

-- name: ConversationsWithPendingOutbound
SELECT TOP (@limit) brand_id, conversation_id FROM dbo.messages
WHERE delivery_status = 'pending' AND created_at_ms < @before_ms
GROUP BY brand_id, conversation_id;

-- name: UpdateDelivery
UPDATE dbo.messages SET delivery_status = @delivery_status, attempts = @attempts, last_error = @last_error,
    external_message_id = COALESCE(@external_message_id, external_message_id)
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND seq = @seq;

-- Privacy: the customer and consent projections, export, erasure and retention.

-- name: ApiKeyExists
SELECT 1 FROM dbo.api_keys WHERE key_hash = @key_hash;

-- name: IndexApiKey
IF NOT EXISTS (SELECT 1 FROM dbo.api_keys WHERE key_hash = @key_hash)
INSERT INTO dbo.api_keys (key_hash) VALUES (@key_hash);

-- name: IndexStoredApiKeys
-- Keys issued before the index existed: their grains' state rows name them (the grain key is the hash).
INSERT INTO dbo.api_keys (key_hash)
SELECT DISTINCT s.GrainIdExtensionString FROM dbo.OrleansStorage s
WHERE s.GrainTypeString = 'apikey' AND s.ServiceId = @service_id AND s.GrainIdExtensionString IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM dbo.api_keys k WHERE k.key_hash = s.GrainIdExtensionString);

-- name: InsertCustomer
IF NOT EXISTS (SELECT 1 FROM dbo.customers WHERE brand_id = @brand_id AND id = @id)
INSERT INTO dbo.customers (brand_id, id, created_at_ms, erased_at_ms, search_name) VALUES (@brand_id, @id, @created_at_ms, NULL, @search_name);
ELSE UPDATE dbo.customers SET search_name = @search_name WHERE brand_id = @brand_id AND id = @id AND erased_at_ms IS NULL;

-- name: MarkCustomerErased
UPDATE dbo.customers SET erased_at_ms = @erased_at_ms, search_name = NULL WHERE brand_id = @brand_id AND id = @id;

-- name: ListCustomers
SELECT TOP (@limit) id, created_at_ms FROM dbo.customers
WHERE brand_id = @brand_id AND erased_at_ms IS NULL AND (@after_id IS NULL OR id > @after_id)
ORDER BY id;

-- name: UpsertConsent
MERGE dbo.consents WITH (HOLDLOCK) AS target
USING (SELECT @brand_id AS brand_id, @purpose AS purpose, @customer_id AS customer_id) AS source
ON target.brand_id = source.brand_id AND target.purpose = source.purpose AND target.customer_id = source.customer_id
WHEN MATCHED THEN UPDATE SET status = @status, lawful_basis = @lawful_basis, source = @source,
    policy_version = @policy_version, recorded_at_ms = @recorded_at_ms, expires_at_ms = @expires_at_ms
WHEN NOT MATCHED THEN INSERT (brand_id, purpose, customer_id, status, lawful_basis, source, policy_version, recorded_at_ms, expires_at_ms)
    VALUES (@brand_id, @purpose, @customer_id, @status, @lawful_basis, @source, @policy_version, @recorded_at_ms, @expires_at_ms);

-- name: DeleteConsentsOfCustomer
DELETE FROM dbo.consents WHERE brand_id = @brand_id AND customer_id = @customer_id;

-- name: ConsentReport
SELECT c.id, s.status, s.lawful_basis, s.source, s.policy_version, s.recorded_at_ms, s.expires_at_ms
FROM dbo.customers c
LEFT JOIN dbo.consents s ON s.brand_id = c.brand_id AND s.customer_id = c.id AND s.purpose = @purpose
WHERE c.brand_id = @brand_id AND c.erased_at_ms IS NULL
  AND (@status IS NULL OR COALESCE(s.status, 'unknown') = @status)
ORDER BY c.id;

-- name: ExportMessages
SELECT m.conversation_id, m.seq, m.id, m.author_type, m.author_id, m.body, m.created_at_ms, m.visibility, m.redacted,
       m.external_message_id, m.event_type, m.delivery_status, m.sentiment_score
FROM dbo.messages m
JOIN dbo.conversation_participants p
  ON p.brand_id = m.brand_id AND p.conversation_id = m.conversation_id AND p.customer_id = @customer_id
WHERE m.brand_id = @brand_id AND (m.author_type <> 'customer' OR m.author_id = @customer_id)
ORDER BY m.conversation_id, m.seq;

-- name: RedactQuotesOfCustomer
-- A customer's messages are found through the conversations they took part in (their participant
-- rows, deleted only after these statements), not through an index on the author: such an index is
-- written by every message and read only by an erasure.
UPDATE dbo.messages SET body = NULL, sentiment_score = NULL, redacted = 1
WHERE brand_id = @brand_id AND quoted_message_id IS NOT NULL AND body IS NOT NULL AND quoted_message_id IN
    (SELECT m.id FROM dbo.messages m
     WHERE m.brand_id = @brand_id AND m.author_type = 'customer' AND m.author_id = @customer_id
       AND m.conversation_id IN (SELECT p.conversation_id FROM dbo.conversation_participants p
                                 WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id));

-- name: UnlinkRepliesToCustomer
-- The brand's replies keep no pointer to the customer's messages on the platform (run before their ids go).
UPDATE dbo.messages SET in_reply_to = NULL
WHERE brand_id = @brand_id AND author_type <> 'customer' AND in_reply_to IS NOT NULL
  AND conversation_id IN (SELECT p.conversation_id FROM dbo.conversation_participants p
                          WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id)
  AND in_reply_to IN (SELECT m.external_message_id FROM dbo.messages m
                      WHERE m.brand_id = @brand_id AND m.author_type = 'customer' AND m.author_id = @customer_id
                        AND m.external_message_id IS NOT NULL
                        AND m.conversation_id IN (SELECT p.conversation_id FROM dbo.conversation_participants p
                                                  WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id));

-- name: RedactMessagesOfCustomer
-- Their words, and the platform's ids of them (a WhatsApp message id encodes the phone number); the
-- idempotency key holds that id too, so a platform resending an erased message stores it afresh.
UPDATE dbo.messages SET body = NULL, sentiment_score = NULL, redacted = 1, external_message_id = NULL, in_reply_to = NULL, dedupe_key = NULL
WHERE brand_id = @brand_id AND author_type = 'customer' AND author_id = @customer_id
  AND (body IS NOT NULL OR external_message_id IS NOT NULL OR in_reply_to IS NOT NULL OR dedupe_key IS NOT NULL)
  AND conversation_id IN (SELECT p.conversation_id FROM dbo.conversation_participants p
                          WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id);

-- name: RedactPrivateConversationsOfCustomer
-- In their private conversations the brand's words are about them too ("we will ship to ..."): bodies,
-- platform ids and the platform's last error go; the history of events (ids and times) stays.
UPDATE dbo.messages SET body = NULL, sentiment_score = NULL, redacted = 1, external_message_id = NULL, in_reply_to = NULL, last_error = NULL
WHERE brand_id = @brand_id AND event_type IS NULL
  AND (body IS NOT NULL OR external_message_id IS NOT NULL OR in_reply_to IS NOT NULL OR last_error IS NOT NULL)
  AND conversation_id IN (SELECT c.id FROM dbo.conversations c
                          WHERE c.brand_id = @brand_id AND c.visibility = 'private' AND c.customer_id = @customer_id);

-- name: ForgetPrivateThreadsOfCustomer
UPDATE dbo.conversations SET external_thread_id = NULL, sentiment_score = NULL, sentiment_label = NULL
WHERE brand_id = @brand_id AND visibility = 'private' AND customer_id = @customer_id
  AND (external_thread_id IS NOT NULL OR sentiment_score IS NOT NULL);

-- name: CancelPendingToCustomer
UPDATE dbo.messages SET delivery_status = 'cancelled'
WHERE brand_id = @brand_id AND delivery_status = 'pending' AND conversation_id IN
    (SELECT id FROM dbo.conversations WHERE brand_id = @brand_id AND visibility = 'private' AND customer_id = @customer_id);

-- name: PrivateConversationsOfCustomer
SELECT id FROM dbo.conversations WHERE brand_id = @brand_id AND visibility = 'private' AND customer_id = @customer_id;

-- name: DeleteParticipantsOfCustomer
DELETE FROM dbo.conversation_participants WHERE brand_id = @brand_id AND customer_id = @customer_id;

-- name: PurgeMessagesBefore
-- Message ids sort by creation time (Ids.NewTimeOrdered): the id index finds the old ones, and no index
-- on the creation time has to be written by every message. @before_id is the smallest id of @before_ms.
UPDATE dbo.messages SET body = NULL, sentiment_score = NULL, redacted = 1
WHERE brand_id = @brand_id AND id < @before_id AND created_at_ms < @before_ms AND body IS NOT NULL;

-- Audit: an append-only, hash-chained log per brand.

-- name: InsertAudit
INSERT INTO dbo.audit_log (brand_id, seq, at_ms, actor, action, customer_id, resource, hash)
VALUES (@brand_id, @seq, @at_ms, @actor, @action, @customer_id, @resource, @hash);

-- name: LastAudit
SELECT TOP (1) seq, hash FROM dbo.audit_log WHERE brand_id = @brand_id ORDER BY seq DESC;

-- name: ListAudit
SELECT TOP (@limit) seq, at_ms, actor, action, customer_id, resource, hash FROM dbo.audit_log
WHERE brand_id = @brand_id AND seq > @after_seq
  AND (@customer_id IS NULL OR customer_id = @customer_id)
  AND (@actor IS NULL OR actor = @actor)
  AND (@from_ms IS NULL OR at_ms >= @from_ms)
  AND (@to_ms IS NULL OR at_ms < @to_ms)
ORDER BY seq;

-- name: AuditChain
SELECT seq, at_ms, actor, action, customer_id, resource, hash FROM dbo.audit_log
WHERE brand_id = @brand_id ORDER BY seq;

-- Webhooks: subscriptions and the delivery outbox, written in the same transaction as the events.

-- name: InsertWebhook
IF NOT EXISTS (SELECT 1 FROM dbo.webhooks WHERE brand_id = @brand_id AND id = @id)
INSERT INTO dbo.webhooks (brand_id, id, url, secret, events, created_at_ms) VALUES (@brand_id, @id, @url, @secret, @events, @created_at_ms);

-- name: WebhooksOfBrand
SELECT id, url, secret, events FROM dbo.webhooks WHERE brand_id = @brand_id ORDER BY id;

-- name: InsertDelivery
INSERT INTO dbo.webhook_deliveries (brand_id, id, webhook_id, lane, lane_seq, event_type, customer_id, payload, status, attempts,
                                last_error, created_at_ms, next_attempt_at_ms, delivered_at_ms)
VALUES (@brand_id, @id, @webhook_id, @lane, @lane_seq, @event_type, @customer_id, @payload, 'pending', 0, NULL, @created_at_ms, @created_at_ms, NULL);

-- name: PendingDeliveries
SELECT TOP (@limit) id, lane, event_type, payload, attempts, next_attempt_at_ms, created_at_ms FROM dbo.webhook_deliveries
WHERE brand_id = @brand_id AND webhook_id = @webhook_id AND status = 'pending'
ORDER BY created_at_ms, lane_seq, id;

-- name: UpdateDeliveryAttempt
UPDATE dbo.webhook_deliveries SET status = @status, attempts = @attempts, last_error = @last_error,
    next_attempt_at_ms = @next_attempt_at_ms, delivered_at_ms = @delivered_at_ms
WHERE brand_id = @brand_id AND id = @id;

-- name: ListDeliveries
SELECT TOP (@limit) id, event_type, lane, status, attempts, last_error, created_at_ms, delivered_at_ms FROM dbo.webhook_deliveries
WHERE brand_id = @brand_id AND webhook_id = @webhook_id AND (@status IS NULL OR status = @status)
ORDER BY created_at_ms, id;

-- name: Redeliver
UPDATE dbo.webhook_deliveries SET status = 'pending', attempts = 0, last_error = NULL, next_attempt_at_ms = @now_ms, delivered_at_ms = NULL
WHERE brand_id = @brand_id AND webhook_id = @webhook_id AND id = @id;

-- name: WebhooksWithDueDeliveries
SELECT TOP (@limit) brand_id, webhook_id FROM dbo.webhook_deliveries
WHERE status = 'pending' AND next_attempt_at_ms <= @now_ms
GROUP BY brand_id, webhook_id;

-- name: RedactDeliveriesOfCustomer
UPDATE dbo.webhook_deliveries SET payload = NULL, status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END
WHERE brand_id = @brand_id AND customer_id = @customer_id AND payload IS NOT NULL;

-- name: UpsertChannelHealth
MERGE dbo.channel_health WITH (HOLDLOCK) AS target
USING (SELECT @brand_id AS brand_id, @channel_id AS channel_id) AS source
ON target.brand_id = source.brand_id AND target.channel_id = source.channel_id
WHEN MATCHED THEN UPDATE SET platform = @platform, state = @state, since_ms = @since_ms, detail = @detail
WHEN NOT MATCHED THEN INSERT (brand_id, channel_id, platform, state, since_ms, detail)
    VALUES (@brand_id, @channel_id, @platform, @state, @since_ms, @detail);

-- name: UnhealthyChannels
SELECT TOP (@limit) brand_id, channel_id, platform, state, since_ms, detail FROM dbo.channel_health
WHERE state <> 'ok'
ORDER BY since_ms, brand_id, channel_id;

-- Secrets at rest: the key ring of a cluster, and the webhook secrets an earlier version stored in clear.

-- name: KeyRingElements
SELECT xml FROM dbo.data_protection_keys ORDER BY friendly_name;

-- name: StoreKeyRingElement
MERGE dbo.data_protection_keys WITH (HOLDLOCK) AS target
USING (SELECT @friendly_name AS friendly_name) AS source ON target.friendly_name = source.friendly_name
WHEN MATCHED THEN UPDATE SET xml = @xml
WHEN NOT MATCHED THEN INSERT (friendly_name, xml) VALUES (@friendly_name, @xml);

-- name: LockKeyRing
EXEC sp_getapplock @Resource = 'socialcrm-keyring', @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 60000;

-- name: AllWebhookSecrets
SELECT brand_id, id, secret FROM dbo.webhooks;

-- name: SealWebhookSecret
UPDATE dbo.webhooks SET secret = @sealed WHERE brand_id = @brand_id AND id = @id AND secret = @secret;

-- Insights: aggregates added to by each node's tally, once a second.

-- name: AddMood
MERGE dbo.insight_mood WITH (HOLDLOCK) AS target
USING (SELECT @brand_id AS brand_id, @granularity AS granularity, @bucket_start_ms AS bucket_start_ms,
              @channel_id AS channel_id, @visibility AS visibility) AS source
ON target.brand_id = source.brand_id AND target.granularity = source.granularity AND target.bucket_start_ms = source.bucket_start_ms
   AND target.channel_id = source.channel_id AND target.visibility = source.visibility
WHEN MATCHED THEN UPDATE SET
    messages = target.messages + @messages, positive = target.positive + @positive, neutral = target.neutral + @neutral,
    negative = target.negative + @negative, score_sum = target.score_sum + @score_sum
WHEN NOT MATCHED THEN INSERT (brand_id, granularity, bucket_start_ms, channel_id, visibility, messages, positive, neutral, negative, score_sum)
    VALUES (@brand_id, @granularity, @bucket_start_ms, @channel_id, @visibility, @messages, @positive, @neutral, @negative, @score_sum);

-- name: AddTerm
MERGE dbo.insight_terms WITH (HOLDLOCK) AS target
USING (SELECT @brand_id AS brand_id, @day_ms AS day_ms, @kind AS kind, @term AS term, @channel_id AS channel_id) AS source
ON target.brand_id = source.brand_id AND target.day_ms = source.day_ms AND target.kind = source.kind
   AND target.term = source.term AND target.channel_id = source.channel_id
WHEN MATCHED THEN UPDATE SET
    mentions = target.mentions + @mentions, example1 = COALESCE(target.example1, @example1),
    example2 = COALESCE(target.example2, @example2), example3 = COALESCE(target.example3, @example3)
WHEN NOT MATCHED THEN INSERT (brand_id, day_ms, channel_id, kind, term, mentions, example1, example2, example3)
    VALUES (@brand_id, @day_ms, @channel_id, @kind, @term, @mentions, @example1, @example2, @example3);

-- name: MoodBuckets
SELECT bucket_start_ms, SUM(messages), SUM(positive), SUM(neutral), SUM(negative), SUM(score_sum)
FROM dbo.insight_mood
WHERE brand_id = @brand_id AND granularity = @granularity AND bucket_start_ms >= @from_ms AND bucket_start_ms < @to_ms
  AND (@channel_id IS NULL OR channel_id = @channel_id)
  AND (@visibility IS NULL OR visibility = @visibility)
GROUP BY bucket_start_ms
ORDER BY bucket_start_ms;

-- name: MoodBaseline
-- A brand's usual level per channel: its minute buckets over the baseline period (the spike detector's yardstick).
SELECT channel_id, SUM(messages), SUM(negative)
FROM dbo.insight_mood
WHERE brand_id = @brand_id AND granularity = 'm' AND bucket_start_ms >= @from_ms AND bucket_start_ms < @to_ms
GROUP BY channel_id;

-- name: TopTerms
SELECT TOP (@limit) term, SUM(mentions) AS total, MAX(example1), MAX(example2), MAX(example3)
FROM dbo.insight_terms
WHERE brand_id = @brand_id AND kind = @kind AND day_ms >= @from_ms AND day_ms < @to_ms
  AND (@channel_id IS NULL OR channel_id = @channel_id)
GROUP BY term
ORDER BY total DESC, term;


-- name: ClearTermExamplesOfCustomer
-- Run before the participant rows go: they are how a customer's messages are found.
UPDATE dbo.insight_terms SET
    example1 = CASE WHEN example1 IN (SELECT m.id FROM dbo.messages m WHERE m.brand_id = @brand_id AND m.author_type = 'customer'
        AND m.author_id = @customer_id AND m.conversation_id IN (SELECT p.conversation_id FROM dbo.conversation_participants p
                                                                 WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id))
        THEN NULL ELSE example1 END,
    example2 = CASE WHEN example2 IN (SELECT m.id FROM dbo.messages m WHERE m.brand_id = @brand_id AND m.author_type = 'customer'
        AND m.author_id = @customer_id AND m.conversation_id IN (SELECT p.conversation_id FROM dbo.conversation_participants p
                                                                 WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id))
        THEN NULL ELSE example2 END,
    example3 = CASE WHEN example3 IN (SELECT m.id FROM dbo.messages m WHERE m.brand_id = @brand_id AND m.author_type = 'customer'
        AND m.author_id = @customer_id AND m.conversation_id IN (SELECT p.conversation_id FROM dbo.conversation_participants p
                                                                 WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id))
        THEN NULL ELSE example3 END
WHERE brand_id = @brand_id
  AND (example1 IS NOT NULL OR example2 IS NOT NULL OR example3 IS NOT NULL);

-- name: InsertAlert
INSERT INTO dbo.insight_alerts (brand_id, id, kind, status, channel_id, window_start_ms, detected_at_ms, resolved_at_ms,
                            negative_share, baseline_share, messages, baseline_messages, sample_ids)
VALUES (@brand_id, @id, @kind, @status, @channel_id, @window_start_ms, @detected_at_ms, NULL,
        @negative_share, @baseline_share, @messages, @baseline_messages, @sample_ids);

-- name: ResolveAlert
UPDATE dbo.insight_alerts SET status = 'resolved', resolved_at_ms = @resolved_at_ms
WHERE brand_id = @brand_id AND id = @id AND status = 'raised';

-- name: ListAlerts
-- Newest first; ids sort by detection time.
SELECT TOP (@limit) id, kind, status, channel_id, window_start_ms, detected_at_ms, resolved_at_ms, negative_share, baseline_share,
       messages, baseline_messages, sample_ids
FROM dbo.insight_alerts
WHERE brand_id = @brand_id
  AND (@status IS NULL OR status = @status)
  AND (@from_ms IS NULL OR detected_at_ms >= @from_ms)
  AND (@to_ms IS NULL OR detected_at_ms < @to_ms)
  AND (@before_id IS NULL OR id < @before_id)
ORDER BY id DESC;


-- name: RecentAlerts
-- What the spike detector must remember after a restart: episodes still open, and those inside their cool-down.
SELECT id, kind, status, channel_id, window_start_ms, detected_at_ms, resolved_at_ms, negative_share, baseline_share,
       messages, baseline_messages, sample_ids
FROM dbo.insight_alerts
WHERE brand_id = @brand_id AND (status = 'raised' OR detected_at_ms >= @since_ms);

-- name: CustomerMood
-- One person's mood: read only where profiling is allowed (the grain checks), never stored.
SELECT COUNT(*),
       SUM(CASE WHEN m.sentiment_score >= 0.05 THEN 1 ELSE 0 END),
       SUM(CASE WHEN m.sentiment_score <= -0.05 THEN 1 ELSE 0 END),
       SUM(m.sentiment_score),
       SUM(CASE WHEN m.sent_at_ms >= @recent_from_ms THEN 1 ELSE 0 END),
       SUM(CASE WHEN m.sent_at_ms >= @recent_from_ms THEN m.sentiment_score ELSE 0 END)
FROM dbo.messages m
WHERE m.brand_id = @brand_id AND m.author_type = 'customer' AND m.author_id = @customer_id AND m.sentiment_score IS NOT NULL
  AND m.conversation_id IN (SELECT p.conversation_id FROM dbo.conversation_participants p
                            WHERE p.brand_id = @brand_id AND p.customer_id = @customer_id);

-- name: InsertAutomationRun
INSERT INTO dbo.automation_runs (brand_id, id, conversation_id, rule_id, trigger_type, message_id, rule_json, status, reason,
                             attempts, created_at_ms, done_at_ms)
VALUES (@brand_id, @id, @conversation_id, @rule_id, @trigger_type, @message_id, @rule_json, @status, @reason, 0, @created_at_ms,
        @done_at_ms);

-- name: PendingAutomationRuns
SELECT id, rule_id, trigger_type, message_id, rule_json, attempts, created_at_ms FROM dbo.automation_runs
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND status = 'pending'
ORDER BY created_at_ms, id;

-- name: CompleteAutomationRun
UPDATE dbo.automation_runs SET status = @status, reason = @reason, attempts = @attempts, done_at_ms = @done_at_ms
WHERE brand_id = @brand_id AND id = @id AND status = 'pending';

-- name: RetryAutomationRun
UPDATE dbo.automation_runs SET attempts = @attempts WHERE brand_id = @brand_id AND id = @id AND status = 'pending';

-- name: ConversationsWithPendingAutomation
SELECT TOP (@limit) brand_id, conversation_id FROM dbo.automation_runs
WHERE status = 'pending' AND created_at_ms < @before_ms
GROUP BY brand_id, conversation_id;

-- name: AutomationRuleCounts
SELECT rule_id, status, reason, COUNT(*) FROM dbo.automation_runs
WHERE brand_id = @brand_id
GROUP BY rule_id, status, reason;

-- name: ConversationsDueForSla
SELECT TOP (@limit) brand_id, id FROM dbo.conversations
WHERE sla_due_at_ms IS NOT NULL AND sla_due_at_ms <= @now_ms
ORDER BY sla_due_at_ms;

-- name: FirstUnansweredCustomerMessage
-- The customer message an agent owes an answer to the longest: the first after the last agent reply.
SELECT TOP (1) id, sent_at_ms, body, sentiment_score FROM dbo.messages
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND author_type = 'customer'
  AND seq > COALESCE((SELECT MAX(a.seq) FROM dbo.messages a
                      WHERE a.brand_id = @brand_id AND a.conversation_id = @conversation_id AND a.author_type = 'agent'), 0)
ORDER BY seq;

-- name: RulesRunOnMessage
SELECT rule_id FROM dbo.automation_runs
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND message_id = @message_id AND trigger_type = @trigger_type;
