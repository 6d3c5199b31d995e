import { config } from "zod";

/**
 * The console runs under a Content-Security-Policy without 'unsafe-eval' (docs/security.md). Zod compiles a fast
 * path for object schemas with `new Function` and probes for it when a schema is built — which the browser reports as
 * a CSP violation. The console gains nothing from that speed: zod stays interpreted here. Imported first by main.tsx,
 * before any schema from @inbox/contracts is built.
 */
config({ jitless: true });
