-- The trigram indexes' pending lists, once more shorter (512 kB since 20261207090000). At 512 kB a merge came about
-- once a second at 1,000 customer messages/s and made that second's batch statement take 8–20 ms — the receiver's
-- own periodic stall, which the bare INSERT ceiling does not have. At 128 kB the merges come four times as often and
-- each is a quarter as long: statements over 8 ms while the receiver takes 1,000/s fell from 14–19 to 3–6 per run,
-- over 10 ms in bench/trigram-pending.ts from 10–18 to 0–1 per 40,000 inserts, with no measurable total cost
-- (docs/performance.md, "Shorter pending lists once more"). The change only sets the limit for later inserts.
ALTER INDEX "Message_text_trgm_idx" SET (gin_pending_list_limit = 128);
ALTER INDEX "Contact_displayName_trgm_idx" SET (gin_pending_list_limit = 128);
ALTER INDEX "Contact_profileName_trgm_idx" SET (gin_pending_list_limit = 128);
