-- The inbound write path's function planned its key probes and rarer updates at every call (dynamic SQL, EXECUTE;
-- three statements on a customer message's path) so that a plan cached while a table was small could not be kept
-- once it had grown (a sequential scan of the channel's rows). That planning was a large part of a small batch's
-- cost: ~0.3 ms of ~0.8 ms per one-message call, ~20 % per message in batches of 16 (docs/performance.md, "The
-- write path's plans, made once per session"). Now every statement is static (PL/pgSQL keeps its plan for the
-- session) and the function itself sets enable_seqscan = off and
-- plan_cache_mode = force_generic_plan: each statement is planned once per session, as a generic plan, and since
-- every statement has an index path (a probe per key, or an upsert's arbiter index) and a sequential scan is priced
-- out, that plan is the index path whatever the tables' size and statistics. key-lookups.test.ts pins the plans on a
-- database without statistics across seven calls of one session. Inputs, outputs and rules are unchanged (migration
-- …_inbound_one_write_path describes them; the behaviour table in packages/core/src/inbound/write-path.test.ts).
CREATE OR REPLACE FUNCTION inbox_store_messages(
  p_channel uuid,
  p_default_team uuid,
  p_route_job text,
  p_route_job_id_prefix text,
  p_messages jsonb,
  p_senders jsonb DEFAULT '[]',
  OUT created_ids uuid[],
  OUT stored_at timestamptz,
  OUT contacts jsonb,
  OUT conversations jsonb,
  OUT duplicates int
) LANGUAGE plpgsql
  -- Every statement below finds its rows through an index (a probe per key, or an upsert's arbiter index). With
  -- sequential scans priced out, the planner has no other choice whatever the tables' size and statistics, so one
  -- generic plan per statement and session is safe — and planning it once instead of at every call is most of a
  -- small batch's cost in Postgres.
  SET enable_seqscan = off
  SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  -- Millisecond precision, as the TIMESTAMP(3) columns keep it: `stored_at` is then exactly the rows' createdAt.
  v_now timestamp := date_trunc('milliseconds', now() AT TIME ZONE 'UTC');
  -- The messages not stored yet, as parallel arrays.
  v_ids uuid[]; v_cids uuid[]; v_was text[]; v_wamids text[]; v_types text[]; v_texts text[]; v_ats timestamp[]; v_replies text[];
  v_payloads jsonb[]; v_customer boolean[]; v_codes int[]; v_titles text[]; v_details text[];
  -- Contacts with customer messages and contacts with only system lines (sorted), and which conversation each got.
  v_cust uuid[]; v_lines uuid[]; v_open uuid[]; v_map_cid uuid[] := '{}'; v_map_conv uuid[] := '{}';
  v_attached jsonb := '[]';
  v_reopen uuid[];
  v_up_cid uuid[]; v_up_conv uuid[]; v_new_conv uuid[];
  -- Phone senders whose contact the upsert left as it was (not in its RETURNING).
  v_kept text[];
BEGIN
  stored_at := v_now AT TIME ZONE 'UTC';
  created_ids := '{}'; conversations := '[]'; contacts := '{}';

  -- 1. The messages not stored yet: one index probe per wamid.
  SELECT coalesce(array_agg(m.id), '{}'), array_agg(m."contactId"), array_agg(m."waId"), array_agg(m.wamid),
         array_agg(m.type), array_agg(m.text), array_agg(m.at AT TIME ZONE 'UTC'), array_agg(m.reply),
         array_agg(m.payload), array_agg(coalesce(m."isCustomer", true)), array_agg(m."errorCode"),
         array_agg(m."errorTitle"), array_agg(m."errorDetails")
    INTO v_ids, v_cids, v_was, v_wamids, v_types, v_texts, v_ats, v_replies, v_payloads, v_customer, v_codes,
         v_titles, v_details
    FROM jsonb_to_recordset(p_messages) AS m(id uuid, "contactId" uuid, "waId" text, wamid text, type text, text text,
                                             at timestamptz, reply text, payload jsonb, "isCustomer" boolean,
                                             "errorCode" int, "errorTitle" text, "errorDetails" text)
    LEFT JOIN LATERAL (SELECT 1 AS hit FROM "Message" x WHERE x."channelId" = p_channel AND x."externalId" = m.wamid LIMIT 1) k ON true
   WHERE k.hit IS NULL;
  duplicates := jsonb_array_length(p_messages) - cardinality(v_ids);
  IF cardinality(v_ids) = 0 THEN RETURN; END IF;

  -- 2. Contacts of the phone senders with messages not stored yet: created, or locked and brought up to date
  --    (written only when something changed, as the full path's updateContactProfile does).
  IF array_position(v_cids, NULL) IS NOT NULL THEN
    WITH up AS (
      INSERT INTO "Contact" AS c (id, "channelId", "waId", "parentUserId", username, "profileName", "countryCode",
                                  "lastSeenAt", "createdAt", "updatedAt")
      SELECT gen_random_uuid(), p_channel, s."waId", s."parentUserId", s.username, s."profileName", s."countryCode",
             s."seenAt" AT TIME ZONE 'UTC', v_now, v_now
        FROM jsonb_to_recordset(p_senders) AS s("waId" text, "parentUserId" text, username text, "profileName" text,
                                                "countryCode" text, "seenAt" timestamptz)
       WHERE s."waId" = ANY (v_was)
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
      -- Nothing to change: the row stays locked (ON CONFLICT locks it whatever this says) but gets no new version.
      WHERE c."lastSeenAt" IS NULL OR c."lastSeenAt" + interval '5 minutes' < EXCLUDED."lastSeenAt"
         OR coalesce(EXCLUDED."parentUserId", c."parentUserId") IS DISTINCT FROM c."parentUserId"
         OR coalesce(EXCLUDED.username, c.username) IS DISTINCT FROM c.username
         OR coalesce(EXCLUDED."profileName", c."profileName") IS DISTINCT FROM c."profileName"
         OR coalesce(EXCLUDED."countryCode", c."countryCode") IS DISTINCT FROM c."countryCode"
      RETURNING c."waId", c.id
    )
    SELECT coalesce(jsonb_object_agg(up."waId", up.id), '{}') INTO contacts FROM up;
    -- The contacts left as they were are not in RETURNING: their ids by one index probe each.
    v_kept := ARRAY(SELECT DISTINCT t.wa FROM unnest(v_cids, v_was) AS t(cid, wa)
                     WHERE t.cid IS NULL AND t.wa IS NOT NULL AND NOT contacts ? t.wa);
    IF cardinality(v_kept) > 0 THEN
      SELECT contacts || coalesce(jsonb_object_agg(w.wa, x.id), '{}') INTO contacts
        FROM unnest(v_kept) AS w(wa)
        JOIN LATERAL (SELECT c.id FROM "Contact" c WHERE c."channelId" = p_channel AND c."waId" = w.wa LIMIT 1) x ON true;
    END IF;
    v_cids := ARRAY(SELECT coalesce(t.cid, (contacts->>t.wa)::uuid)
                      FROM unnest(v_cids, v_was) WITH ORDINALITY AS t(cid, wa, n) ORDER BY t.n);
  END IF;
  IF array_position(v_cids, NULL) IS NOT NULL THEN
    RAISE EXCEPTION 'inbox_store_messages: a message without its contact';
  END IF;

  SELECT coalesce(array_agg(x.cid ORDER BY x.cid) FILTER (WHERE x.cust), '{}'),
         coalesce(array_agg(x.cid ORDER BY x.cid) FILTER (WHERE NOT x.cust), '{}')
    INTO v_cust, v_lines
    FROM (SELECT t.cid, bool_or(t.cust) AS cust FROM unnest(v_cids, v_customer) AS t(cid, cust) GROUP BY t.cid) x;

  -- 3. System lines of contacts without customer messages: their active conversation, else their newest one.
  IF cardinality(v_lines) > 0 THEN
    SELECT coalesce(array_agg(c.cid ORDER BY c.cid), '{}'), coalesce(array_agg(x.id ORDER BY c.cid), '{}'),
           coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'contactId', c.cid, 'teamId', x."teamId",
                                                 'assigneeId', x."assigneeId", 'isNew', false)), '[]')
      INTO v_map_cid, v_map_conv, v_attached
      FROM unnest(v_lines) AS c(cid)
      JOIN LATERAL (SELECT id, "teamId", "assigneeId" FROM "Conversation" WHERE "contactId" = c.cid
                     ORDER BY ("activeContactId" IS NULL), "createdAt" DESC LIMIT 1) x ON true;
    IF cardinality(v_map_conv) > 0 THEN
      UPDATE "Conversation" c SET "lastMessageAt" = GREATEST(c."lastMessageAt", l.at), "updatedAt" = v_now
        FROM (SELECT v_map_conv[array_position(v_map_cid, t.cid)] AS conv, max(coalesce(t.at, v_now)) AS at
                FROM unnest(v_cids, v_ats) AS t(cid, at) WHERE t.cid = ANY (v_map_cid) GROUP BY 1) l
       WHERE c.id = l.conv AND c.id = ANY (v_map_conv);
    END IF;
  END IF;
  v_open := v_cust || ARRAY(SELECT l FROM unnest(v_lines) AS l WHERE l <> ALL (v_map_cid) ORDER BY l);

  -- 4. Conversations of contacts with customer messages (and of contacts that had none). One without an active
  --    conversation whose newest one is resolved gets it reopened (probe by contact, newest first); then one upsert
  --    on the active-contact index updates the active one or opens a new one. `xmax = 0` tells a row this statement
  --    inserted from one it updated.
  IF cardinality(v_cust) > 0 THEN
    SELECT coalesce(array_agg(x.id), '{}') INTO v_reopen FROM unnest(v_cust) AS c(cid)
      JOIN LATERAL (SELECT id, "activeContactId" FROM "Conversation" WHERE "contactId" = c.cid ORDER BY "createdAt" DESC LIMIT 1) x ON true
     WHERE x."activeContactId" IS NULL
       AND NOT EXISTS (SELECT 1 FROM "Conversation" a WHERE a."activeContactId" = c.cid);
    IF cardinality(v_reopen) > 0 THEN
      UPDATE "Conversation" SET "activeContactId" = "contactId", status = 'open', "resolvedAt" = NULL, "snoozedUntil" = NULL, "updatedAt" = v_now
       WHERE id = ANY (v_reopen);
    END IF;
  END IF;
  IF cardinality(v_open) > 0 THEN
    WITH f AS (
      SELECT t.cid, max(t.at) FILTER (WHERE t.cust) AS inb, max(coalesce(t.at, v_now)) AS last,
             (count(*) FILTER (WHERE t.cust))::int AS unread
        FROM unnest(v_cids, v_ats, v_customer) AS t(cid, at, cust)
       WHERE t.cid = ANY (v_open)
       GROUP BY t.cid
    ), up AS (
      INSERT INTO "Conversation" AS c (id, "channelId", "contactId", "activeContactId", status, "teamId", "lastMessageAt",
                                       "lastInboundAt", "unreadCount", "createdAt", "updatedAt")
      SELECT gen_random_uuid(), p_channel, f.cid, f.cid, 'open', p_default_team, f.last, f.inb, f.unread, v_now, v_now
        FROM f ORDER BY f.cid
      ON CONFLICT ("activeContactId") DO UPDATE SET
        "lastInboundAt" = GREATEST(c."lastInboundAt", EXCLUDED."lastInboundAt"),
        "lastMessageAt" = GREATEST(c."lastMessageAt", EXCLUDED."lastMessageAt"),
        "unreadCount" = c."unreadCount" + EXCLUDED."unreadCount",
        status = CASE WHEN EXCLUDED."unreadCount" > 0 AND c.status = 'pending' THEN 'open'::"ConversationStatus" ELSE c.status END,
        "snoozedUntil" = CASE WHEN EXCLUDED."unreadCount" > 0 THEN NULL ELSE c."snoozedUntil" END,
        "updatedAt" = EXCLUDED."updatedAt"
      RETURNING c.id, c."contactId", c."teamId", c."assigneeId", (c.xmax = 0) AS is_new
    )
    SELECT array_agg(up."contactId"), array_agg(up.id), coalesce(array_agg(up.id) FILTER (WHERE up.is_new), '{}'),
           jsonb_agg(jsonb_build_object('id', up.id, 'contactId', up."contactId", 'teamId', up."teamId",
                                        'assigneeId', up."assigneeId", 'isNew', up.is_new))
      INTO v_up_cid, v_up_conv, v_new_conv, conversations FROM up;
    v_map_cid := v_map_cid || v_up_cid;
    v_map_conv := v_map_conv || v_up_conv;
  END IF;
  conversations := conversations || v_attached;

  -- 5. The messages.
  WITH ins AS (
    INSERT INTO "Message" (id, "conversationId", "channelId", direction, type, text, payload, "externalId", status, "statusAt",
                           "providerTimestamp", "replyToExternalId", "errorCode", "errorTitle", "errorDetails",
                           "createdAt", "updatedAt")
    SELECT m.id, v_map_conv[array_position(v_map_cid, m.cid)], p_channel, 'inbound', m.type, m.text, m.payload, m.wamid,
           'received', coalesce(m.at, v_now), m.at, m.reply, m.code, m.title, m.details, v_now, v_now
      FROM unnest(v_ids, v_cids, v_types, v_texts, v_payloads, v_wamids, v_ats, v_replies, v_codes, v_titles, v_details)
           AS m(id, cid, type, text, payload, wamid, at, reply, code, title, details)
    ON CONFLICT DO NOTHING
    RETURNING id
  )
  SELECT coalesce(array_agg(ins.id), '{}') INTO created_ids FROM ins;

  -- A concurrent transaction stored some of these first: its customer messages were counted as unread there.
  IF cardinality(created_ids) < cardinality(v_ids) THEN
    duplicates := duplicates + cardinality(v_ids) - cardinality(created_ids);
    UPDATE "Conversation" c SET "unreadCount" = c."unreadCount" - lost.k, "updatedAt" = v_now
      FROM (SELECT v_map_conv[array_position(v_map_cid, l.cid)] AS conv, count(*)::int AS k
              FROM unnest(v_ids, v_cids, v_customer) AS l(id, cid, cust)
             WHERE l.cust AND l.id <> ALL (created_ids) GROUP BY 1) lost
     WHERE c.id = lost.conv;
  END IF;

  -- 6. ONE routing job for every conversation this call opened, in the outbox (same transaction). Its id is the
  --    lowest of their ids: a conversation id no other routing job carries (the conversations are new), and for a
  --    single conversation the id its job always had.
  IF cardinality(v_new_conv) > 0 THEN
    v_new_conv := ARRAY(SELECT n FROM unnest(v_new_conv) AS n ORDER BY n);
    INSERT INTO "OutboxJob" (name, payload, "jobId", "availableAt", "createdAt")
    VALUES (p_route_job, jsonb_build_object('conversationIds', to_jsonb(v_new_conv)),
            p_route_job_id_prefix || v_new_conv[1], v_now, v_now)
    ON CONFLICT DO NOTHING;
  END IF;
END
$$;
