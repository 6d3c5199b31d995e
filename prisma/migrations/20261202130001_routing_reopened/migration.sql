-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "reopenedAt" TIMESTAMP(3);

-- A resolved conversation that opens again (the inbound write path reopens it when the customer writes) is marked,
-- whichever code path reopened it; routing then checks that its previous agent can still take it.
CREATE OR REPLACE FUNCTION inbox_mark_reopened() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'resolved' AND NEW.status <> 'resolved' THEN
    NEW."reopenedAt" := (now() AT TIME ZONE 'UTC');
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER conversation_reopened BEFORE UPDATE OF status ON "Conversation"
  FOR EACH ROW EXECUTE FUNCTION inbox_mark_reopened();
