/** Admins edit consent wordings; each version is kept and a visitor's consent names the version they were shown. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConsentTextDto, WebchatChannelDto, WebchatSessionDto } from "@inbox/contracts";
import { createTestApp, login, makeUser, type Agent, type TestApp } from "../../test/test-app";

const SHOP = "https://shop.example.de";
const NEW_DE = "Ich willige ein, dass meine Angaben in diesem Chat gespeichert werden (Fassung 2026).";

let t: TestApp;
let admin: Agent;
let agent: Agent;
let channel: WebchatChannelDto;

beforeAll(async () => {
  t = await createTestApp();
  await makeUser(t, "admin@example.de", "admin");
  await makeUser(t, "agent@example.de", "agent");
  admin = await login(t, "admin@example.de");
  agent = await login(t, "agent@example.de");
  const res = await t.app.inject({
    method: "POST",
    url: "/api/admin/webchat-channels",
    headers: admin.headers,
    payload: { name: "Website", settings: { allowedOrigins: [SHOP] } },
  });
  channel = res.json<WebchatChannelDto>();
});
afterAll(() => t.close());

const list = async () =>
  (await t.app.inject({ method: "GET", url: "/api/admin/consent-texts", headers: admin.headers })).json<{
    items: ConsentTextDto[];
  }>().items;
const save = (who: Agent, payload: object) =>
  t.app.inject({ method: "POST", url: "/api/admin/consent-texts", headers: who.headers, payload });
const visitor = (url: string, payload: object, token?: string) =>
  t.app.inject({
    method: "POST",
    url: `/webchat/${channel.key}${url}`,
    payload,
    headers: { origin: SHOP, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });

describe("consent texts", () => {
  it("saves a new version, keeps the old one, and the web chat shows and records the new one", async () => {
    const before = await list();
    const oldDe = before.find((x) => x.purpose === "service" && x.language === "de")!;
    expect(oldDe).toMatchObject({ version: 1, consents: 0 });

    // A visitor who saw version 1 consents before the change.
    const first = (await visitor("/sessions", { language: "de" })).json<WebchatSessionDto>();
    expect((await visitor("/consent", { wordingVersion: 1, language: "de" }, first.token)).statusCode).toBe(201);

    const saved = await save(admin, { purpose: "service", language: "de", text: NEW_DE });
    expect(saved.statusCode).toBe(201);
    const v2 = saved.json<ConsentTextDto>();
    expect(v2).toMatchObject({ language: "de", text: NEW_DE, createdBy: expect.any(String) });
    expect(v2.version).toBeGreaterThan(1);
    // The same text again changes nothing.
    const same = await save(admin, { purpose: "service", language: "de", text: `  ${NEW_DE} ` });
    expect(same.statusCode).toBe(200);
    expect(same.json<ConsentTextDto>().version).toBe(v2.version);

    const after = (await list()).filter((x) => x.purpose === "service" && x.language === "de");
    expect(after.map((x) => x.version)).toEqual([v2.version, 1]);
    expect(after[1]).toMatchObject({ text: oldDe.text, consents: 1 });

    // A new visitor is shown the new wording; consenting to the old version is refused; their consent names v2.
    const second = (await visitor("/sessions", { language: "de" })).json<WebchatSessionDto>();
    expect(second.consent.wording).toMatchObject({ version: v2.version, text: NEW_DE });
    const stale = await visitor("/consent", { wordingVersion: 1, language: "de" }, second.token);
    expect(stale.json()).toMatchObject({ code: "consent_text_changed" });
    expect((await visitor("/consent", { wordingVersion: v2.version, language: "de" }, second.token)).statusCode).toBe(
      201,
    );
    const consents = await t.deps.db.consent.findMany({ orderBy: { occurredAt: "asc" } });
    expect(consents.map((c) => [c.wordingVersion, c.wordingText])).toEqual([
      [1, oldDe.text],
      [v2.version, NEW_DE],
    ]);
    expect(await t.deps.db.auditLog.count({ where: { action: "consent_text.saved" } })).toBe(1);
  });

  it("refuses agents, unknown purposes or languages, and empty texts", async () => {
    expect((await save(agent, { purpose: "service", language: "de", text: NEW_DE })).statusCode).toBe(403);
    expect((await save(admin, { purpose: "newsletter", language: "de", text: NEW_DE })).statusCode).toBe(400);
    expect((await save(admin, { purpose: "service", language: "fr", text: NEW_DE })).statusCode).toBe(400);
    expect((await save(admin, { purpose: "service", language: "de", text: "   " })).statusCode).toBe(400);
    expect(
      (await t.app.inject({ method: "GET", url: "/api/admin/consent-texts", headers: agent.headers })).statusCode,
    ).toBe(403);
  });

  it("admins change the keywords and the confirmation texts per language; a keyword in both lists is refused", async () => {
    const get = () => t.app.inject({ method: "GET", url: "/api/admin/consent-settings", headers: admin.headers });
    const defaults = (await get()).json<Record<string, unknown>>();
    expect(defaults).toMatchObject({
      optOutKeywords: expect.arrayContaining(["STOP"]),
      optInPurpose: "marketing",
      // Nothing set: empty per language, with the default language and the built-in texts for the form.
      optInConfirmation: { de: "", en: "" },
      defaultLanguage: "en",
      builtInConfirmations: { optOut: { de: expect.stringContaining("keine Nachrichten mehr") } },
    });
    const body = {
      optInKeywords: ["JA", "Anmelden"],
      optOutKeywords: ["STOP", "Abbestellen"],
      optInPurpose: "service",
      optInConfirmation: { de: "Danke, Sie sind angemeldet.", en: "" },
      optOutConfirmation: { de: "Sie sind abgemeldet. Mit JA melden Sie sich wieder an.", en: "You are unsubscribed." },
    };
    const put = (who: Agent, payload: object) =>
      t.app.inject({ method: "PUT", url: "/api/admin/consent-settings", headers: who.headers, payload });
    expect((await put(admin, body)).statusCode).toBe(200);
    expect((await get()).json()).toMatchObject(body);
    // Only the languages with a text are stored.
    expect(
      (await t.deps.db.setting.findUniqueOrThrow({ where: { key: "consent.optInConfirmationText" } })).value,
    ).toEqual({ de: "Danke, Sie sind angemeldet." });
    const audit = await t.deps.db.auditLog.findFirstOrThrow({
      where: { action: "setting.updated", entityId: "consent" },
    });
    expect(audit.data).toMatchObject({ textsChanged: { optIn: ["de"], optOut: ["de", "en"] } });

    const clash = await put(admin, { ...body, optInKeywords: ["JA", "abbestellen"] });
    expect(clash.statusCode).toBe(400);
    expect(clash.json()).toMatchObject({ code: "validation_failed" });
    expect((await put(admin, { ...body, optOutKeywords: [] })).statusCode).toBe(400);
    // A single text (the shape before texts were per language) or a language missing is refused.
    expect((await put(admin, { ...body, optInConfirmation: "Danke." })).statusCode).toBe(400);
    expect((await put(admin, { ...body, optInConfirmation: { de: "Danke." } })).statusCode).toBe(400);
    expect((await put(agent, body)).statusCode).toBe(403);
    expect((await get()).json()).toMatchObject(body);
  });

  it("a single text kept by the migration shows as the default language's until saved per language", async () => {
    await t.deps.db.setting.update({
      where: { key: "consent.optOutConfirmationText" },
      data: { value: { default: "Abgemeldet (alter Text)." } },
    });
    expect(
      (await t.app.inject({ method: "GET", url: "/api/admin/consent-settings", headers: admin.headers })).json(),
    ).toMatchObject({ optOutConfirmation: { de: "", en: "Abgemeldet (alter Text)." } });
  });
});
