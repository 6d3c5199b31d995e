-- The confirmations after an opt-in / opt-out keyword are kept per customer language ({"de": "…", "en": "…"}).
-- A single text saved before stays the text of the default language. Which language that is (the setting
-- DEFAULT_CUSTOMER_LANGUAGE) only the running product knows, so the text moves under "default" and is read as the
-- default language's text until an admin saves the texts again (packages/core/src/consent/reply-language.ts).
UPDATE "Setting"
   SET "value" = jsonb_build_object('default', "value")
 WHERE "key" IN ('consent.optInConfirmationText', 'consent.optOutConfirmationText')
   AND jsonb_typeof("value") = 'string';
