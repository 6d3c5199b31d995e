/** GET /api/admin/processing-record(.md): the Art. 30 record from the live configuration, Meta read back live. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@inbox/config";
import type { ProcessingRecordDto } from "@inbox/contracts";
import { NO_RECEIVER, startTestSimulator, type TestSimulator } from "@inbox/simulator/testing";
import { createTestApp, login, makeUser, type Agent, type TestApp } from "../../test/test-app";

let t: TestApp;
let sim: TestSimulator;
let admin: Agent;
let agent: Agent;

beforeAll(async () => {
  sim = await startTestSimulator(NO_RECEIVER);
  t = await createTestApp({
    env: parseEnv({ LOG_LEVEL: "silent", DATA_REGION: "DE", ...sim.productEnv }),
  });
  await makeUser(t, "admin@example.de", "admin");
  await makeUser(t, "agent@example.de", "agent");
  admin = await login(t, "admin@example.de");
  agent = await login(t, "agent@example.de");
});
afterAll(async () => {
  await t.close();
  await sim.close();
});

const get = (who: Agent, url: string) => t.app.inject({ method: "GET", url, headers: who.headers });

describe("processing record", () => {
  it("states the data region and each number's local storage as Meta reports it now", async () => {
    const db = t.deps.db;
    const wa = await db.channel.create({
      data: {
        type: "whatsapp",
        name: "Service DE",
        externalId: sim.productEnv.WHATSAPP_PHONE_NUMBER_ID!,
        dataRegion: "DE",
      },
    });
    const unknown = await db.channel.create({ data: { type: "whatsapp", name: "Gone", externalId: "999999999" } });
    await db.channel.create({ data: { type: "webchat", name: "Website", externalId: "widget-rec" } });
    sim.sim.storage = { status: "IN_COUNTRY_STORAGE_ENABLED", data_localization_region: "DE" };

    const res = await get(admin, "/api/admin/processing-record?lang=en");
    expect(res.statusCode).toBe(200);
    const record = res.json<ProcessingRecordDto>();
    expect(record.dataRegion).toBe("DE");
    expect(record.mediaStore.kind).toBe("local");
    expect(record.channels).toEqual([
      expect.objectContaining({
        channelId: wa.id,
        declaredRegion: "DE",
        localStorage: "enabled",
        localStorageRegion: "DE",
      }),
      expect.objectContaining({ channelId: unknown.id, localStorage: "unknown" }),
      expect.objectContaining({ name: "Website", type: "webchat", localStorage: "unknown" }),
    ]);
    expect(record.recipients.items.join("\n")).toMatch(/Meta Platforms Ireland/);
    expect(record.dataSubjects.items.join("\n")).toMatch(/Website visitors/);

    // Meta's answer changes: the record follows, it is not a stored copy.
    sim.sim.storage = { status: "IN_COUNTRY_STORAGE_DISABLED" };
    const again = (await get(admin, "/api/admin/processing-record?lang=en")).json<ProcessingRecordDto>();
    expect(again.channels[0]).toMatchObject({ localStorage: "disabled", localStorageRegion: null });
  });

  it("lists the retention periods in force, as configured, in the Markdown download", async () => {
    const label = await t.deps.db.label.create({ data: { name: "Rechnung" } });
    const put = await t.app.inject({
      method: "PUT",
      url: "/api/admin/retention-policies",
      headers: admin.headers,
      payload: {
        policies: [
          { category: "messages", days: 2190, labelId: label.id },
          { category: "media", days: 90 },
        ],
      },
    });
    expect(put.statusCode).toBe(200);
    const md = await get(admin, "/api/admin/processing-record.md?lang=en");
    expect(md.statusCode).toBe(200);
    expect(md.headers["content-type"]).toMatch(/text\/markdown/);
    expect(md.headers["content-disposition"]).toContain("processing-record.md");
    expect(md.body).toMatch(/^# Record of processing activities \(Art\. 30 GDPR\)/);
    expect(md.body).toContain("2190 days (label Rechnung)");
    expect(md.body).toContain("Media files, counted from when they were received or sent: 90 days");
    expect(md.body).toContain("Database and media store: DE");
    expect(md.body).toContain("Service DE (WhatsApp): Meta local storage not enabled; registered for DE");
  });

  it("is German for an admin whose language is German and on ?lang=de, page and Markdown alike; other languages are refused", async () => {
    await t.deps.db.user.update({ where: { email: "admin@example.de" }, data: { locale: "de" } });
    const json = (await get(admin, "/api/admin/processing-record")).json<ProcessingRecordDto>();
    expect(json.language).toBe("de");
    expect(json.retention.title).toBe("Löschfristen");
    expect(json.recipients.items.join("\n")).toMatch(/Meta Platforms Ireland Ltd\. als Auftragsverarbeiter/);
    expect(json.dataSubjects.items.join("\n")).toMatch(/Besucher der Website, die den Web-Chat nutzen/);
    expect(json.mediaStore.location).toBe("lokale Festplatte des Servers, auf dem das Produkt läuft");
    expect((await get(admin, "/api/admin/processing-record?lang=de")).json<ProcessingRecordDto>()).toMatchObject({
      language: "de",
      retention: { items: json.retention.items },
    });

    const md = await get(admin, "/api/admin/processing-record.md?lang=de");
    expect(md.statusCode).toBe(200);
    expect(md.headers["content-disposition"]).toContain("verarbeitungsverzeichnis.md");
    expect(md.body).toMatch(/^# Verzeichnis von Verarbeitungstätigkeiten \(Art\. 30 DSGVO\)/);
    expect(md.body).toContain("## Datenstandort");
    expect(md.body).toContain("Datenbank und Medienspeicher: DE");
    expect(md.body).toContain("Service DE (WhatsApp): lokale Speicherung bei Meta nicht aktiv; registriert für DE");
    expect(md.body).toContain("(Web-Chat): nur in dieser Installation gespeichert");
    expect(md.body).toContain("## Löschfristen");
    expect(md.body).toContain(
      "Nachrichten und ihre Konversation, gerechnet ab Abschluss der Konversation: 2190 Tage (Label Rechnung)",
    );
    expect(md.body).toContain("Mediendateien, gerechnet ab Empfang bzw. Versand: 90 Tage");
    expect(md.body).toMatch(/Kontakte, die so lange keine Konversation hatten: 730 Tage \(Standard\)/);
    expect(md.body).toContain("## Technische und organisatorische Maßnahmen des Produkts");
    // No English sentence left in the German record.
    expect(md.body).not.toMatch(/Retention periods|Purposes of the processing|counted from|days\b/);

    // An admin who chose English gets English without asking.
    await t.deps.db.user.update({ where: { email: "admin@example.de" }, data: { locale: "en" } });
    const english = await get(admin, "/api/admin/processing-record.md");
    expect(english.body).toMatch(/^# Record of processing activities \(Art\. 30 GDPR\)/);
    expect(english.headers["content-disposition"]).toContain("processing-record.md");

    expect((await get(admin, "/api/admin/processing-record?lang=fr")).statusCode).toBe(400);
  });

  it("is for admins only", async () => {
    expect((await get(agent, "/api/admin/processing-record")).statusCode).toBe(403);
    expect((await get(agent, "/api/admin/processing-record.md")).statusCode).toBe(403);
    expect((await t.app.inject({ method: "GET", url: "/api/admin/processing-record" })).statusCode).toBe(401);
  });
});
