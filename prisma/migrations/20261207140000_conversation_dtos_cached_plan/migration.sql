-- The conversations as the console lists them (contact, channel, labels, preview of the last visible message) were
-- read by one statement that Postgres planned at every call: about half a millisecond of planning against ~0.8 ms of
-- running for a page of 25. It runs for every list, conversation and change the console asks for, and after every
-- burst of webhooks (the live events' current state, up to 40 times a second): with it planned once per session,
-- Postgres's CPU per webhook delivery fell by 18 % (`pnpm --filter @inbox/bench inbound-cpu`, docs/performance.md,
-- "The console's conversation read, planned once per session"). Now it is a function whose one statement PL/pgSQL
-- plans once per session, as a generic plan, and priced so that the plan probes the indexes (the ids' primary key,
-- the contact's and channel's keys, the newest message per conversation) whatever the tables' size and statistics,
-- as the write path's (migration …_store_messages_cached_plans). Same columns and rows as before, in no particular
-- order (the callers order them).
CREATE FUNCTION inbox_conversation_dtos(p_ids uuid[])
RETURNS TABLE (
  id uuid,
  status text,
  "assigneeId" uuid,
  "teamId" uuid,
  "unreadCount" integer,
  "lastMessageAt" timestamp(3),
  "lastInboundAt" timestamp(3),
  "snoozedUntil" timestamp(3),
  "createdAt" timestamp(3),
  channel json,
  contact json,
  labels json,
  preview text
) LANGUAGE plpgsql STABLE
  -- One generic plan per session, and only one shape it can take: without statistics the planner would find the
  -- preview by the conversation's (conversationId, clientId) key and sort all its messages; with sequential and
  -- bitmap scans and sorts priced out, it walks (conversationId, createdAt DESC) and stops at the first visible one.
  SET enable_seqscan = off
  SET enable_bitmapscan = off
  SET enable_sort = off
  SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    SELECT c.id, c.status::text, c."assigneeId", c."teamId", c."unreadCount", c."lastMessageAt", c."lastInboundAt",
           c."snoozedUntil", c."createdAt",
           json_build_object('id', ch.id, 'type', ch.type::text, 'name', ch.name),
           json_build_object('id', ct.id, 'waId', ct."waId", 'userId', ct."userId", 'username', ct.username,
                             'profileName', ct."profileName", 'displayName', ct."displayName"),
           COALESCE((SELECT json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color) ORDER BY l.name)
                       FROM "ConversationLabel" cl JOIN "Label" l ON l.id = cl."labelId"
                      WHERE cl."conversationId" = c.id), '[]'::json),
           (SELECT COALESCE(left(m.text, 140), '[' || m.type::text || ']')
              FROM "Message" m
             WHERE m."conversationId" = c.id AND NOT m."isPrivate"
             ORDER BY m."createdAt" DESC LIMIT 1)
      FROM "Conversation" c
      JOIN "Channel" ch ON ch.id = c."channelId"
      JOIN "Contact" ct ON ct.id = c."contactId"
     WHERE c.id = ANY (p_ids);
END
$$;
