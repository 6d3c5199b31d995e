-- The receiver's hot path as one server-side call (packages/core/src/inbound/store-phone-senders.ts).
--
-- The customer messages of senders known by phone (no BSUID, no system message) are stored by ONE call: from
-- the hot path (a group-committed batch without media or keywords) the call is its own transaction — one round
-- trip and one commit instead of BEGIN, five statements and COMMIT — and the full path calls it inside its own
-- transaction. Under load every round trip waits for a CPU on both ends; the statements themselves are cheap.
-- Each step is a statement of its own, so (READ COMMITTED) it sees what concurrent transactions committed before it.
--
-- Plans. PL/pgSQL keeps a statement's plan for the session (the connection) and switches to a generic plan after
-- five calls; a plan made while a table was small (a fresh install, before autovacuum has analysed anything)
-- would then be kept while the table grows. So every statement here either leaves the planner no choice (INSERT
-- … ON CONFLICT finds rows through its arbiter index; inputs come from the JSON parameters, not from tables), or
-- runs as dynamic SQL (EXECUTE), planned anew at each call with its values — written as one index probe per key
-- (LATERAL … LIMIT 1), so that it stays a probe even without statistics. key-lookups.test.ts pins the plans.
--
-- Inputs (built by the application):
--   p_senders   [{waId, parentUserId, username, profileName, countryCode}], distinct waIds, blank values as null
--   p_messages  [{id, from, wamid, type, text, at, reply, payload}], distinct wamids, `from` a sender's waId
-- Rules, as the application has them for other senders:
--   * a wamid stored before is skipped entirely (a redelivery must not reopen a conversation or count as unread);
--     the insert is still ON CONFLICT DO NOTHING, so a concurrent duplicate is stopped by the unique index;
--   * contacts are created or locked by an upsert in waId order (concurrent batches cannot deadlock; a contact a
--     concurrent transaction is creating is waited for, not duplicated); a profile value replaces an old one but
--     never blanks it; lastSeenAt moves forward when it is more than 5 minutes old or the profile changed;
--   * the contact's active conversation is updated, else its newest resolved one reopened, else one opened in the
--     default team; the 24 h window only moves forward (GREATEST of Meta's timestamps); a pending conversation
--     becomes open; a snooze ends;
--   * a new conversation gets a routing job in the outbox, in the same transaction.
-- Returns the ids of the messages it stored, their storage time, waId → contact id, the conversations
-- ({id, contactId, teamId, assigneeId, isNew}) and how many messages were duplicates.
CREATE FUNCTION inbox_store_inbound_messages(
  p_channel uuid,
  p_default_team uuid,
  p_window interval,
  p_route_job text,
  p_senders jsonb,
  p_messages jsonb,
  OUT created_ids uuid[],
  OUT stored_at timestamptz,
  OUT contacts jsonb,
  OUT conversations jsonb,
  OUT duplicates int
) LANGUAGE plpgsql AS $$
DECLARE
  -- Millisecond precision, as the TIMESTAMP(3) columns keep it: `stored_at` is then exactly the rows' createdAt.
  v_now timestamp := date_trunc('milliseconds', now() AT TIME ZONE 'UTC');
  -- The messages not stored yet, as parallel arrays.
  v_ids uuid[]; v_from text[]; v_wamids text[]; v_types text[]; v_texts text[]; v_ats timestamp[]; v_replies text[];
  v_payloads jsonb[];
  -- Their senders (sorted by waId) with contact and conversation, aligned.
  v_wa text[]; v_cid uuid[]; v_conv uuid[];
  v_reopen uuid[];
  v_new_conv uuid[];
BEGIN
  stored_at := v_now AT TIME ZONE 'UTC';
  created_ids := '{}'; contacts := '{}'; conversations := '[]';

  -- 1. The messages not stored yet: one index probe per wamid.
  EXECUTE $q$
    SELECT coalesce(array_agg(m.id), '{}'), array_agg(m."from"), array_agg(m.wamid), array_agg(m.type), array_agg(m.text),
           array_agg(m.at AT TIME ZONE 'UTC'), array_agg(m.reply), array_agg(m.payload)
      FROM jsonb_to_recordset($2) AS m(id uuid, "from" text, wamid text, type text, text text, at timestamptz, reply text, payload jsonb)
      LEFT JOIN LATERAL (SELECT 1 AS hit FROM "Message" x WHERE x."channelId" = $1 AND x."externalId" = m.wamid LIMIT 1) k ON true
     WHERE k.hit IS NULL
  $q$ INTO v_ids, v_from, v_wamids, v_types, v_texts, v_ats, v_replies, v_payloads USING p_channel, p_messages;
  duplicates := jsonb_array_length(p_messages) - cardinality(v_ids);
  IF cardinality(v_ids) = 0 THEN RETURN; END IF;

  -- 2. Contacts of the senders with new messages: created, or locked and their profile brought up to date.
  WITH seen AS (
    SELECT f.wa, max(f.at) AS at FROM unnest(v_from, v_ats) AS f(wa, at) GROUP BY f.wa
  ), up AS (
    INSERT INTO "Contact" AS c (id, "channelId", "waId", "parentUserId", username, "profileName", "countryCode", "lastSeenAt",
                                "createdAt", "updatedAt")
    SELECT gen_random_uuid(), p_channel, s."waId", s."parentUserId", s.username, s."profileName", s."countryCode", seen.at, v_now, v_now
      FROM jsonb_to_recordset(p_senders) AS s("waId" text, "parentUserId" text, username text, "profileName" text, "countryCode" text)
      JOIN seen ON seen.wa = s."waId"
     ORDER BY s."waId"
    ON CONFLICT ("channelId", "waId") DO UPDATE SET
      "parentUserId" = coalesce(EXCLUDED."parentUserId", c."parentUserId"),
      username = coalesce(EXCLUDED.username, c.username),
      "profileName" = coalesce(EXCLUDED."profileName", c."profileName"),
      "countryCode" = coalesce(EXCLUDED."countryCode", c."countryCode"),
      "lastSeenAt" = CASE
        WHEN c."lastSeenAt" IS NULL OR c."lastSeenAt" + interval '5 minutes' < EXCLUDED."lastSeenAt"
          OR (c."lastSeenAt" < EXCLUDED."lastSeenAt" AND (
               coalesce(EXCLUDED."parentUserId", c."parentUserId") IS DISTINCT FROM c."parentUserId"
            OR coalesce(EXCLUDED.username, c.username) IS DISTINCT FROM c.username
            OR coalesce(EXCLUDED."profileName", c."profileName") IS DISTINCT FROM c."profileName"
            OR coalesce(EXCLUDED."countryCode", c."countryCode") IS DISTINCT FROM c."countryCode"))
        THEN EXCLUDED."lastSeenAt" ELSE c."lastSeenAt" END,
      "updatedAt" = CASE
        WHEN c."lastSeenAt" IS NULL OR c."lastSeenAt" + interval '5 minutes' < EXCLUDED."lastSeenAt"
          OR coalesce(EXCLUDED."parentUserId", c."parentUserId") IS DISTINCT FROM c."parentUserId"
          OR coalesce(EXCLUDED.username, c.username) IS DISTINCT FROM c.username
          OR coalesce(EXCLUDED."profileName", c."profileName") IS DISTINCT FROM c."profileName"
          OR coalesce(EXCLUDED."countryCode", c."countryCode") IS DISTINCT FROM c."countryCode"
        THEN EXCLUDED."updatedAt" ELSE c."updatedAt" END
    RETURNING c.id, c."waId"
  )
  SELECT array_agg(up."waId" ORDER BY up."waId"), array_agg(up.id ORDER BY up."waId") INTO v_wa, v_cid FROM up;

  -- 3. Conversations. A contact without an active conversation whose newest one is resolved gets it reopened
  --    (probe by contact, newest first); then one upsert on the active-contact index updates the active one or
  --    opens a new one. `xmax = 0` tells a row this statement inserted from one it updated.
  EXECUTE $q$
    SELECT coalesce(array_agg(x.id), '{}') FROM unnest($1::uuid[]) AS c(cid)
      JOIN LATERAL (SELECT id, "activeContactId" FROM "Conversation" WHERE "contactId" = c.cid ORDER BY "createdAt" DESC LIMIT 1) x ON true
     WHERE x."activeContactId" IS NULL
  $q$ INTO v_reopen USING v_cid;
  IF cardinality(v_reopen) > 0 THEN
    EXECUTE $q$
      UPDATE "Conversation" SET "activeContactId" = "contactId", status = 'open', "resolvedAt" = NULL, "snoozedUntil" = NULL, "updatedAt" = $2
       WHERE id = ANY ($1)
    $q$ USING v_reopen, v_now;
  END IF;
  WITH i AS (
    SELECT w.cid, (f.inb AT TIME ZONE 'UTC') AS inb, ((f.inb + p_window) AT TIME ZONE 'UTC') AS exp, f.unread
      FROM unnest(v_wa, v_cid) AS w(wa, cid)
      JOIN (SELECT t.wa, max(t.at AT TIME ZONE 'UTC') AS inb, count(*)::int AS unread FROM unnest(v_from, v_ats) AS t(wa, at) GROUP BY t.wa) f
        ON f.wa = w.wa
  ), up AS (
    INSERT INTO "Conversation" AS c (id, "channelId", "contactId", "activeContactId", status, "teamId", "lastMessageAt",
                                     "lastInboundAt", "windowExpiresAt", "unreadCount", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), p_channel, i.cid, i.cid, 'open', p_default_team, i.inb, i.inb, i.exp, i.unread, v_now, v_now
      FROM i ORDER BY i.cid
    ON CONFLICT ("activeContactId") DO UPDATE SET
      "lastInboundAt" = GREATEST(c."lastInboundAt", EXCLUDED."lastInboundAt"),
      "windowExpiresAt" = GREATEST(c."windowExpiresAt", EXCLUDED."windowExpiresAt"),
      "lastMessageAt" = GREATEST(c."lastMessageAt", EXCLUDED."lastMessageAt"),
      "unreadCount" = c."unreadCount" + EXCLUDED."unreadCount",
      status = CASE WHEN c.status = 'pending' THEN 'open'::"ConversationStatus" ELSE c.status END,
      "snoozedUntil" = NULL,
      "updatedAt" = EXCLUDED."updatedAt"
    RETURNING c.id, c."contactId", c."teamId", c."assigneeId", (c.xmax = 0) AS is_new
  )
  SELECT array_agg(up.id ORDER BY array_position(v_cid, up."contactId")),
         coalesce(array_agg(up.id) FILTER (WHERE up.is_new), '{}'),
         jsonb_agg(jsonb_build_object('id', up.id, 'contactId', up."contactId", 'teamId', up."teamId", 'assigneeId', up."assigneeId", 'isNew', up.is_new))
    INTO v_conv, v_new_conv, conversations FROM up;
  contacts := (SELECT jsonb_object_agg(w.wa, w.cid) FROM unnest(v_wa, v_cid) AS w(wa, cid));

  -- 4. The messages.
  WITH ins AS (
    INSERT INTO "Message" (id, "conversationId", "channelId", direction, type, text, payload, "externalId", status, "statusAt",
                           "providerTimestamp", "replyToExternalId", "createdAt", "updatedAt")
    SELECT m.id, v_conv[array_position(v_wa, m.wa)], p_channel, 'inbound', m.type, m.text, m.payload, m.wamid, 'received', m.at, m.at,
           m.reply, v_now, v_now
      FROM unnest(v_ids, v_from, v_types, v_texts, v_payloads, v_wamids, v_ats, v_replies) AS m(id, wa, type, text, payload, wamid, at, reply)
    ON CONFLICT DO NOTHING
    RETURNING id
  )
  SELECT coalesce(array_agg(ins.id), '{}') INTO created_ids FROM ins;

  -- A concurrent transaction stored some of these first: they were counted as unread there.
  IF cardinality(created_ids) < cardinality(v_ids) THEN
    duplicates := duplicates + cardinality(v_ids) - cardinality(created_ids);
    EXECUTE $q$
      UPDATE "Conversation" c SET "unreadCount" = c."unreadCount" - lost.k, "updatedAt" = $5
        FROM (SELECT $3[array_position($4, l.wa)] AS conv, count(*)::int AS k
                FROM unnest($1, $2) AS l(id, wa) WHERE l.id <> ALL ($6) GROUP BY 1) lost
       WHERE c.id = lost.conv
    $q$ USING v_ids, v_from, v_conv, v_wa, v_now, created_ids;
  END IF;

  -- 5. Routing jobs for the new conversations, in the outbox (same transaction).
  IF cardinality(v_new_conv) > 0 THEN
    INSERT INTO "OutboxJob" (name, payload, "jobId", "availableAt", "createdAt")
    SELECT p_route_job, jsonb_build_object('conversationId', id), p_route_job || '-' || id, v_now, v_now
      FROM unnest(v_new_conv) AS id
    ON CONFLICT DO NOTHING;
  END IF;
END
$$;
