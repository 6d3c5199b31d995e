import { signPayload } from "@inbox/whatsapp";
import type { App } from "../types";

/** POSTs a payload to the webhook route signed with the app secret, as Meta sends it. */
export function postSignedWebhook(app: App, payload: unknown, appSecret: string) {
  const body = JSON.stringify(payload);
  return app.inject({
    method: "POST",
    url: "/webhooks/whatsapp",
    payload: body,
    headers: { "content-type": "application/json", "x-hub-signature-256": signPayload(body, appSecret) },
  });
}
