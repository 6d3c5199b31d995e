import { isGermanSpeakingContact } from "../consent/reply-language";
import type { CONTACT_ATTRIBUTES, RoutingConditions } from "@inbox/contracts";

/** What routing knows about a new conversation when it decides. */
export interface RoutingFacts {
  channelId: string;
  /** ISO 639-1 code of the customer's language, or null when unknown. */
  language: string | null;
  /** Text of the customer's first message (caption, button title, …), or null. */
  text: string | null;
  /** Id of an interactive button/list reply (or a template quick-reply payload), or null. */
  replyId: string | null;
  labelIds: readonly string[];
  contact: Partial<Record<(typeof CONTACT_ATTRIBUTES)[number], string | null>>;
}

export interface MatchableRule {
  isActive: boolean;
  conditions: RoutingConditions;
  teamId: string;
}

/** Only the start of a long message is tested: bounds the cost of an admin's pattern. */
const MAX_TESTED_CHARS = 2000;

const fold = (s: string) => s.toLocaleLowerCase("de").normalize("NFC");

/** The rule's pattern as a case-insensitive Unicode RegExp; throws a SyntaxError when it does not compile. */
export function compileRoutingPattern(pattern: string): RegExp {
  return new RegExp(pattern, "iu");
}

/** True when every condition of the rule holds for the facts (a rule without conditions never matches). */
export function doesRuleMatch(conditions: RoutingConditions, facts: RoutingFacts): boolean {
  let tested = 0;
  const text = facts.text ? facts.text.slice(0, MAX_TESTED_CHARS) : "";
  if (conditions.channelIds) {
    tested++;
    if (!conditions.channelIds.includes(facts.channelId)) return false;
  }
  if (conditions.languages) {
    tested++;
    if (!facts.language || !conditions.languages.includes(facts.language)) return false;
  }
  if (conditions.keywords) {
    tested++;
    const folded = fold(text);
    if (!conditions.keywords.some((k) => folded.includes(fold(k)))) return false;
  }
  if (conditions.pattern) {
    tested++;
    let re: RegExp;
    try {
      re = compileRoutingPattern(conditions.pattern);
    } catch {
      return false;
    }
    if (!re.test(text)) return false;
  }
  if (conditions.replyIds) {
    tested++;
    if (!facts.replyId || !conditions.replyIds.includes(facts.replyId)) return false;
  }
  if (conditions.labelIds) {
    tested++;
    if (!conditions.labelIds.some((id) => facts.labelIds.includes(id))) return false;
  }
  if (conditions.contactAttribute) {
    tested++;
    const value = facts.contact[conditions.contactAttribute.name];
    if (!value || fold(value.trim()) !== fold(conditions.contactAttribute.value)) return false;
  }
  return tested > 0;
}

/** Index of the first active rule that matches (rules in order; first match wins), or -1. */
export function findMatchingRule(rules: readonly MatchableRule[], facts: RoutingFacts): number {
  return rules.findIndex((rule) => rule.isActive && doesRuleMatch(rule.conditions, facts));
}

/**
 * The customer's language: their stored locale when known, else German for numbers and countries of the German-speaking
 * countries, else English. (WhatsApp does not tell a business the user's app language.)
 */
export function customerLanguageOf(contact: {
  locale?: string | null;
  countryCode?: string | null;
  waId?: string | null;
}): string {
  const locale = contact.locale?.trim().toLowerCase();
  if (locale && /^[a-z]{2}/.test(locale)) return locale.slice(0, 2);
  return isGermanSpeakingContact(contact) ? "de" : "en";
}

/** The interactive reply id in a stored WhatsApp message payload (button/list reply, template quick-reply button). */
export function replyIdOf(payload: unknown): string | null {
  if (!payload || typeof payload !== "object") return null;
  const p = payload as {
    interactive?: { button_reply?: { id?: unknown }; list_reply?: { id?: unknown } };
    button?: { payload?: unknown };
  };
  const id = p.interactive?.button_reply?.id ?? p.interactive?.list_reply?.id ?? p.button?.payload;
  return typeof id === "string" ? id : null;
}
