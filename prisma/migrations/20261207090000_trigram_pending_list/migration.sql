-- The trigram indexes of inbox search (Message.text, Contact.displayName, Contact.profileName) are GIN indexes with
-- fast update: new entries go to a pending list, and the insert that finds the list over its limit merges the whole
-- list into the index before its statement ends. With Postgres's default limit (4 MB) that merge came every ~8,000
-- short messages and took 25–45 ms on its own — inside the receiver's transaction, so every delivery acknowledged
-- after it waited too (bench/trigram-pending.ts). At 512 kB the merges come eight times as often and each costs an
-- eighth; the total work stays about the same (+3 % in the benchmark). VACUUM also empties the lists.
ALTER INDEX "Message_text_trgm_idx" SET (gin_pending_list_limit = 512);
ALTER INDEX "Contact_displayName_trgm_idx" SET (gin_pending_list_limit = 512);
ALTER INDEX "Contact_profileName_trgm_idx" SET (gin_pending_list_limit = 512);
