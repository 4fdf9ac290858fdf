-- Seeding for tests/bench-insights.sh (PostgreSQL): a brand's message log of any size, spread over a
-- year, and the insight aggregates that the service's tally would have written for exactly those
-- messages. Everything is a pure function of the message number g (1, 2, 3, ...), so a step can add
-- messages g = lo..hi and the aggregates computed from the same function always match the log.
-- Lives in its own schema of the throwaway database; the service never reads it.
CREATE SCHEMA IF NOT EXISTS bench_seed;

-- A uniform number in [0, 1) drawn from (n, stream): the same every time, independent across streams.
CREATE OR REPLACE FUNCTION bench_seed.u(n bigint, stream bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (hashint8extended(n, stream) & 2147483647)::double precision / 2147483648.0
$$;

-- Message g of a brand: 50 messages per conversation (conversation c = (g - 1) / 50), one customer per
-- conversation, five minutes apart from a start drawn in the year from year_start_ms. Channels and
-- visibilities as a brand on four platforms sees them (web chat private only; comments on the others);
-- sentiment 45% positive, 30% neutral, 25% negative. Each positive message praises one term (a product's
-- aspect, "phone battery"), each negative one criticises one, every twentieth positive one is an unusual
-- use instead ("garage planter"); a neutral one asks about an order and names no term. Terms are drawn
-- skewed (a few common, a long tail) from 200 product aspects and 200 uses.
CREATE OR REPLACE FUNCTION bench_seed.facts(brand text, year_start_ms bigint, lo bigint, hi bigint)
RETURNS TABLE (g bigint, c bigint, seq bigint, conversation_id text, customer_id text, channel_id text, visibility text,
               external_thread_id text, first_sent_at_ms bigint, sent_at_ms bigint, id text, external_message_id text,
               label text, score double precision, body text, term_kind text, term text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT m.g, m.c, m.seq,
       -- Ids as long as the service's and as scattered, from cheap hashes (md5 would double the seeding
       -- time); the number at the end keeps each unique. Seeded brands are new, so the ids need no brand.
       'cv_' || lpad(to_hex(hashint8extended(m.c, 101) & 1099511627775), 10, '0') || lpad(to_hex(m.c), 14, '0'),
       'cu_' || lpad(to_hex(hashint8extended(m.c, 102) & 1099511627775), 10, '0') || lpad(to_hex(m.c), 14, '0'),
       m.channel_id, m.visibility,
       CASE WHEN m.visibility = 'public' THEN 'post-' || lpad(to_hex(hashint8extended(m.c, 103) & 1099511627775), 10, '0') || to_hex(m.c) END,
       m.first_sent_at_ms, m.sent_at_ms,
       -- Time-ordered like the service's message ids: the time first.
       'msg_' || lpad(to_hex(m.sent_at_ms), 12, '0') || lpad(to_hex(m.g), 12, '0'),
       m.channel_id || '-' || lpad(to_hex(hashint8extended(m.g, 104) & 1099511627775), 10, '0') || lpad(to_hex(m.g), 10, '0'),
       m.label, m.score,
       CASE
           WHEN m.unusual THEN format('We use the %s as a %s %s, works great. Thanks!', m.product, m.place, m.use)
           WHEN m.label = 'positive' THEN format((ARRAY['Love the %s %s, really happy with it. Thanks!',
                                                         'The %s %s is excellent, best purchase this year.',
                                                         'Great %s %s, works perfectly and arrived fast!'])[m.g % 3 + 1], m.product, m.aspect)
           WHEN m.label = 'negative' THEN format((ARRAY['The %s %s is a disappointment, it broke after two days. I want a refund.',
                                                         'Really unhappy with the %s %s, terrible and nobody answers my emails.',
                                                         'Worst %s %s ever, awful. Please fix this.'])[m.g % 3 + 1], m.product, m.aspect)
           ELSE format('Hi, when will my %s arrive? Order %s.', m.product, 100000 + m.c)
       END,
       -- At most one term a message, so the terms aggregate needs no unpivot.
       CASE WHEN m.unusual THEN 'unusual-use' WHEN m.label = 'positive' THEN 'advantage' WHEN m.label = 'negative' THEN 'disadvantage' END,
       CASE WHEN m.unusual THEN m.place || ' ' || m.use WHEN m.label <> 'neutral' THEN m.product || ' ' || m.aspect END
FROM (
    SELECT k.g, k.c, k.seq, ch.channel_id,
           CASE WHEN (ch.channel_id = 'messenger' AND bench_seed.u(k.c, 2) < 0.2)
                  OR (ch.channel_id = 'instagram' AND bench_seed.u(k.c, 2) < 0.5)
                  OR (ch.channel_id = 'x' AND bench_seed.u(k.c, 2) < 0.7) THEN 'public' ELSE 'private' END AS visibility,
           st.start_ms + 300000 + floor(bench_seed.u(k.c * 50 + 1, 4) * 60000)::bigint AS first_sent_at_ms,
           st.start_ms + k.seq * 300000 + floor(bench_seed.u(k.g, 4) * 60000)::bigint AS sent_at_ms,
           lb.label,
           round((CASE lb.label WHEN 'positive' THEN 0.05 + 0.9 * bench_seed.u(k.g, 6)
                                WHEN 'negative' THEN -0.05 - 0.9 * bench_seed.u(k.g, 6)
                                ELSE -0.04 + 0.08 * bench_seed.u(k.g, 6) END)::numeric, 4)::double precision AS score,
           lb.label = 'positive' AND bench_seed.u(k.g, 9) < 0.05 AS unusual,
           (ARRAY['phone', 'blender', 'laptop', 'kettle', 'vacuum', 'headphone', 'charger', 'jacket', 'mattress', 'coffee machine',
                  'camera', 'speaker', 'printer', 'router', 'watch', 'sofa', 'backpack', 'stroller', 'tablet', 'toaster'])
               [1 + floor(20 * power(bench_seed.u(k.g, 7), 2))::int] AS product,
           (ARRAY['battery', 'screen', 'quality', 'price', 'delivery', 'packaging', 'design', 'size', 'warranty', 'manual'])
               [1 + floor(10 * power(bench_seed.u(k.g, 8), 1.5))::int] AS aspect,
           (ARRAY['garage', 'kitchen', 'garden', 'office', 'studio', 'workshop', 'classroom', 'camper', 'balcony', 'nursery'])
               [1 + floor(10 * bench_seed.u(k.g, 10))::int] AS place,
           (ARRAY['mixer', 'planter', 'doorstop', 'stand', 'birdbath', 'bed', 'bookend', 'bucket', 'tray', 'toolbox',
                  'lamp', 'organiser', 'basket', 'tent', 'prop', 'drum', 'stool', 'rack', 'toy', 'holder'])
               [1 + floor(20 * power(bench_seed.u(k.g, 11), 2))::int] AS use
    FROM (SELECT s.g, (s.g - 1) / 50 AS c, (s.g - 1) % 50 + 1 AS seq FROM generate_series(lo, hi) AS s(g)) AS k
    CROSS JOIN LATERAL (SELECT CASE WHEN bench_seed.u(k.c, 1) < 0.40 THEN 'webchat'
                                    WHEN bench_seed.u(k.c, 1) < 0.65 THEN 'messenger'
                                    WHEN bench_seed.u(k.c, 1) < 0.85 THEN 'instagram'
                                    ELSE 'x' END AS channel_id) AS ch
    -- The conversation's 50 messages (about four hours) end before year_start_ms + 365 days.
    CROSS JOIN LATERAL (SELECT year_start_ms + floor(bench_seed.u(k.c, 3) * (365 * 86400000::bigint - 5 * 3600000))::bigint AS start_ms) AS st
    CROSS JOIN LATERAL (SELECT CASE WHEN bench_seed.u(k.g, 5) < 0.45 THEN 'positive'
                                    WHEN bench_seed.u(k.g, 5) < 0.75 THEN 'neutral'
                                    ELSE 'negative' END AS label) AS lb
) AS m
$$;
