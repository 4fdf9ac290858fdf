-- Named queries of the SocialCrm tables (SQLite). Each starts at a "-- name:" line; values are always parameters.

-- name: Ping
SELECT 1;

-- name: FindMessageByDedupeKey
SELECT conversation_id, seq, id, author_id FROM messages WHERE brand_id = @brand_id AND dedupe_key = @dedupe_key;

-- name: InsertMessage
INSERT INTO messages (brand_id, conversation_id, seq, id, channel_id, author_type, author_id, body, visibility, purpose,
                      created_at_ms, sent_at_ms, external_message_id, in_reply_to, dedupe_key, delivery_status, redacted,
                      event_type, event_data, quoted_message_id)
VALUES (@brand_id, @conversation_id, @seq, @id, @channel_id, @author_type, @author_id, @body, @visibility, @purpose,
        @created_at_ms, @sent_at_ms, @external_message_id, @in_reply_to, @dedupe_key, @delivery_status, 0,
        @event_type, @event_data, @quoted_message_id);

-- name: UpsertConversation
INSERT INTO conversations (brand_id, id, channel_id, visibility, kind, status, assignee, controller, customer_id,
                           external_thread_id, created_at_ms, last_activity_ms, last_message_at_ms,
                           last_customer_message_at_ms, message_count, last_seq)
VALUES (@brand_id, @id, @channel_id, @visibility, @kind, @status, @assignee, @controller, @customer_id,
        @external_thread_id, @created_at_ms, @last_activity_ms, @last_message_at_ms,
        @last_customer_message_at_ms, @message_count, @last_seq)
ON CONFLICT (brand_id, id) DO UPDATE SET
    status = excluded.status, assignee = excluded.assignee, controller = excluded.controller,
    customer_id = excluded.customer_id, last_activity_ms = excluded.last_activity_ms,
    last_message_at_ms = excluded.last_message_at_ms,
    last_customer_message_at_ms = excluded.last_customer_message_at_ms,
    message_count = excluded.message_count, last_seq = excluded.last_seq;

-- name: InsertParticipant
INSERT INTO conversation_participants (brand_id, customer_id, conversation_id, joined_at_ms)
VALUES (@brand_id, @customer_id, @conversation_id, @joined_at_ms)
ON CONFLICT DO NOTHING;

-- name: LoadConversation
SELECT last_seq, message_count, last_message_at_ms, last_customer_message_at_ms, last_activity_ms
FROM conversations WHERE brand_id = @brand_id AND id = @id;

-- name: ReadMessages
SELECT seq, id, author_type, author_id, body, created_at_ms, visibility, delivery_status, redacted,
       external_message_id, in_reply_to, purpose, event_type, event_data, quoted_message_id, sent_at_ms
FROM messages
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND seq > @after_seq
ORDER BY seq
LIMIT @limit;

-- name: ListInbox
SELECT c.id, c.channel_id, c.visibility, c.kind, c.status, c.customer_id, c.assignee, c.controller,
       c.last_activity_ms, c.message_count, c.external_thread_id
FROM conversations c
WHERE c.brand_id = @brand_id
  AND (@status IS NULL OR c.status = @status)
  AND (@channel_id IS NULL OR c.channel_id = @channel_id)
  AND (@visibility IS NULL OR c.visibility = @visibility)
  AND (@assignee IS NULL OR c.assignee = @assignee)
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
SELECT conversation_id, seq, author_type, author_id, body, visibility, sent_at_ms, redacted
FROM messages WHERE brand_id = @brand_id AND id = @id;

-- name: LatestCustomerMessage
SELECT id, author_id, sent_at_ms FROM messages
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND author_type = 'customer'
ORDER BY seq DESC
LIMIT 1;

-- name: PendingOutbound
SELECT seq, id, body, attempts FROM messages
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND delivery_status = 'pending'
ORDER BY seq;

-- name: ConversationsWithPendingOutbound
SELECT brand_id, conversation_id FROM messages
WHERE delivery_status = 'pending' AND created_at_ms < @before_ms
GROUP BY brand_id, conversation_id
LIMIT @limit;

-- name: UpdateDelivery
UPDATE messages SET delivery_status = @delivery_status, attempts = @attempts, last_error = @last_error
WHERE brand_id = @brand_id AND conversation_id = @conversation_id AND seq = @seq;
