import { describe, expect, it } from "vitest";
import {
  customerLanguageOf,
  doesRuleMatch,
  findMatchingRule,
  replyIdOf,
  type MatchableRule,
  type RoutingFacts,
} from "./match-routing-rules";

const CHANNEL_A = "00000000-0000-4000-8000-00000000000a";
const CHANNEL_B = "00000000-0000-4000-8000-00000000000b";
const LABEL_VIP = "00000000-0000-4000-8000-0000000000f1";

const facts = (over: Partial<RoutingFacts> = {}): RoutingFacts => ({
  channelId: CHANNEL_A,
  language: "de",
  text: "Hallo, ich habe eine Frage zu meiner Rechnung",
  replyId: null,
  labelIds: [],
  contact: { countryCode: "DE", email: "kunde@example.com" },
  ...over,
});
const rule = (teamId: string, conditions: MatchableRule["conditions"], isActive = true): MatchableRule => ({
  teamId,
  conditions,
  isActive,
});

describe("doesRuleMatch", () => {
  it("matches each kind of condition and refuses its opposite", () => {
    expect(doesRuleMatch({ channelIds: [CHANNEL_A] }, facts())).toBe(true);
    expect(doesRuleMatch({ channelIds: [CHANNEL_B] }, facts())).toBe(false);
    expect(doesRuleMatch({ languages: ["de"] }, facts())).toBe(true);
    expect(doesRuleMatch({ languages: ["en"] }, facts())).toBe(false);
    expect(doesRuleMatch({ languages: ["en"] }, facts({ language: null }))).toBe(false);
    expect(doesRuleMatch({ keywords: ["RECHNUNG"] }, facts())).toBe(true);
    expect(doesRuleMatch({ keywords: ["kündigung", "storno"] }, facts())).toBe(false);
    expect(doesRuleMatch({ keywords: ["KÜNDIGUNG"] }, facts({ text: "Meine Kündigung bitte" }))).toBe(true);
    expect(doesRuleMatch({ pattern: "\\b(rechnung|invoice)\\b" }, facts())).toBe(true);
    expect(doesRuleMatch({ pattern: "^bestellung \\d+" }, facts())).toBe(false);
    expect(doesRuleMatch({ replyIds: ["sales"] }, facts({ replyId: "sales" }))).toBe(true);
    expect(doesRuleMatch({ replyIds: ["sales"] }, facts({ replyId: "support" }))).toBe(false);
    expect(doesRuleMatch({ replyIds: ["sales"] }, facts())).toBe(false);
    expect(doesRuleMatch({ labelIds: [LABEL_VIP] }, facts({ labelIds: [LABEL_VIP] }))).toBe(true);
    expect(doesRuleMatch({ labelIds: [LABEL_VIP] }, facts())).toBe(false);
    expect(doesRuleMatch({ contactAttribute: { name: "countryCode", value: "de" } }, facts())).toBe(true);
    expect(doesRuleMatch({ contactAttribute: { name: "countryCode", value: "AT" } }, facts())).toBe(false);
    expect(doesRuleMatch({ contactAttribute: { name: "locale", value: "de" } }, facts())).toBe(false);
  });

  it("needs every condition of a rule (AND) and never matches without conditions", () => {
    expect(doesRuleMatch({ channelIds: [CHANNEL_A], keywords: ["rechnung"] }, facts())).toBe(true);
    expect(doesRuleMatch({ channelIds: [CHANNEL_A], keywords: ["lieferung"] }, facts())).toBe(false);
    expect(doesRuleMatch({}, facts())).toBe(false);
  });

  it("treats a message without text as matching no keyword or pattern", () => {
    expect(doesRuleMatch({ keywords: ["a"] }, facts({ text: null }))).toBe(false);
    expect(doesRuleMatch({ pattern: "x" }, facts({ text: null }))).toBe(false);
  });

  it("does not throw on a stored pattern that no longer compiles; it just does not match", () => {
    expect(doesRuleMatch({ pattern: "(" }, facts())).toBe(false);
  });
});

describe("findMatchingRule", () => {
  it("takes the first matching rule in order, skipping inactive ones", () => {
    const rules = [
      rule("billing-inactive", { keywords: ["rechnung"] }, false),
      rule("english", { languages: ["en"] }),
      rule("billing", { keywords: ["rechnung"] }),
      rule("all-de", { languages: ["de"] }),
    ];
    expect(findMatchingRule(rules, facts())).toBe(2);
    expect(findMatchingRule(rules, facts({ text: "Guten Tag" }))).toBe(3);
    expect(findMatchingRule(rules, facts({ language: "en", text: "rechnung" }))).toBe(1);
    expect(findMatchingRule(rules, facts({ language: "fr", text: "bonjour" }))).toBe(-1);
    expect(findMatchingRule([], facts())).toBe(-1);
  });
});

describe("customerLanguageOf", () => {
  it("uses the stored locale first, then German-speaking countries and numbers, else English", () => {
    expect(customerLanguageOf({ locale: "tr-TR", waId: "4915112345678" })).toBe("tr");
    expect(customerLanguageOf({ countryCode: "AT" })).toBe("de");
    expect(customerLanguageOf({ waId: "4915112345678" })).toBe("de");
    expect(customerLanguageOf({ waId: "41791234567" })).toBe("de");
    expect(customerLanguageOf({ waId: "447700900123" })).toBe("en");
    expect(customerLanguageOf({})).toBe("en");
  });
});

describe("replyIdOf", () => {
  it("reads button and list reply ids and template quick-reply payloads", () => {
    expect(replyIdOf({ interactive: { type: "button_reply", button_reply: { id: "b1", title: "B" } } })).toBe("b1");
    expect(replyIdOf({ interactive: { type: "list_reply", list_reply: { id: "l1", title: "L" } } })).toBe("l1");
    expect(replyIdOf({ button: { payload: "p1", text: "P" } })).toBe("p1");
    expect(replyIdOf({ text: { body: "hi" } })).toBeNull();
    expect(replyIdOf(null)).toBeNull();
  });
});
