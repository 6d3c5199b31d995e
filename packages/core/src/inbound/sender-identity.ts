import type { WebhookContact } from "@inbox/whatsapp";
import type { InboundElement } from "./describe-message-element";
import { identityKey, type ContactIdentity } from "./resolve-contact";

/** A customer of one delivery and their messages in it. */
export interface SenderGroup {
  identity: ContactIdentity;
  elements: InboundElement[];
}

const filled = (o: ContactIdentity): ContactIdentity => Object.fromEntries(Object.entries(o).filter(([, v]) => v));

/** What the delivery's contacts[] say about each customer (profile, BSUID), keyed like `identityKey`. */
function identitiesOf(contacts: WebhookContact[], elements: InboundElement[]): Map<string, ContactIdentity> {
  const identities = new Map<string, ContactIdentity>();
  const add = (identity: ContactIdentity) => {
    const key = identityKey(identity);
    if (key) identities.set(key, { ...identities.get(key), ...filled(identity) });
  };
  for (const c of contacts) {
    add({
      waId: c.wa_id,
      userId: c.user_id,
      parentUserId: c.parent_user_id,
      username: c.profile?.username,
      profileName: c.profile?.name,
      countryCode: c.profile?.country_code,
    });
  }
  for (const e of elements) add(e.sender);
  return identities;
}

/**
 * The delivery's messages grouped by customer, in a stable order (by identity key) so concurrent deliveries lock
 * contacts in the same order and cannot deadlock. Each sender's identity is completed from contacts[], matched by
 * phone or business-scoped user id.
 */
export function groupBySender(contacts: WebhookContact[], elements: InboundElement[]): SenderGroup[] {
  const identities = identitiesOf(contacts, elements);
  const groups = new Map<string, SenderGroup>();
  for (const e of elements) {
    const own = e.sender;
    let identity: ContactIdentity = own;
    for (const candidate of identities.values()) {
      if ((own.waId && candidate.waId === own.waId) || (own.userId && candidate.userId === own.userId)) {
        identity = { ...candidate, ...filled(own) };
        break;
      }
    }
    const key = identityKey(identity)!;
    const group = groups.get(key) ?? { identity, elements: [] };
    group.elements.push(e);
    groups.set(key, group);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

/** A sender the database can upsert by phone: no BSUID and no identity event (those need resolveContact). */
export function isPhoneSender(group: SenderGroup): group is SenderGroup & { identity: { waId: string } } {
  return !!group.identity.waId && !group.identity.userId && group.elements.every((e) => !e.identityChange);
}
