import type { ConsentTextDto, SaveConsentTextBody } from "@inbox/contracts";
import { isUniqueViolation, type Db, type DbTx } from "@inbox/db";
import { recordAudit, type Actor } from "../audit/record-audit";
import { AppError } from "../errors/app-error";

type ConsentTextRow = Awaited<ReturnType<Db["consentText"]["findMany"]>>[number];

async function toDtos(db: DbTx, rows: ConsentTextRow[]): Promise<ConsentTextDto[]> {
  const authorIds = [...new Set(rows.flatMap((r) => (r.createdById ? [r.createdById] : [])))];
  const [authors, counts] = await Promise.all([
    db.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, name: true } }),
    db.consent.groupBy({
      by: ["purpose", "wordingVersion"],
      where: { wordingVersion: { not: null } },
      _count: { _all: true },
    }),
  ]);
  const nameOf = new Map(authors.map((a) => [a.id, a.name]));
  // A consent names purpose and version (its wording text is stored with it): count per purpose and version.
  const countOf = new Map(counts.map((c) => [`${c.purpose}:${c.wordingVersion}`, c._count._all]));
  return rows.map((r) => ({
    id: r.id,
    purpose: r.purpose,
    language: r.language,
    version: r.version,
    text: r.text,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdById ? (nameOf.get(r.createdById) ?? null) : null,
    consents: countOf.get(`${r.purpose}:${r.version}`) ?? 0,
  }));
}

/** Every version of every consent wording, newest first per purpose and language (the first of each is current). */
export async function listConsentTexts(db: Db): Promise<ConsentTextDto[]> {
  const rows = await db.consentText.findMany({
    where: { isActive: true },
    orderBy: [{ purpose: "asc" }, { language: "asc" }, { version: "desc" }],
  });
  return toDtos(db, rows);
}

/**
 * An admin changes a consent wording: a new version (the old ones stay, as consents recorded with them name
 * them). The same text as the current version changes nothing. Versions count per purpose across languages, so a
 * consent's (purpose, version) names one wording whichever language the customer saw.
 */
export async function saveConsentText(
  deps: { db: Db; clock: () => Date },
  actor: Actor,
  body: SaveConsentTextBody,
): Promise<{ text: ConsentTextDto; isNew: boolean }> {
  const { db } = deps;
  try {
    return await db.$transaction(async (tx) => {
      const current = await tx.consentText.findFirst({
        where: { purpose: body.purpose, language: body.language, isActive: true },
        orderBy: { version: "desc" },
      });
      if (current && current.text === body.text) return { text: (await toDtos(tx, [current]))[0]!, isNew: false };
      const newest = await tx.consentText.findFirst({ where: { purpose: body.purpose }, orderBy: { version: "desc" } });
      const created = await tx.consentText.create({
        data: {
          purpose: body.purpose,
          language: body.language,
          version: (newest?.version ?? 0) + 1,
          text: body.text,
          createdById: actor.type === "user" ? actor.userId : null,
          createdAt: deps.clock(),
        },
      });
      await recordAudit(tx, actor, "consent_text.saved", "consent_text", created.id, {
        purpose: created.purpose,
        language: created.language,
        version: created.version,
        previousVersion: current?.version ?? null,
      });
      return { text: (await toDtos(tx, [created]))[0]!, isNew: true };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "Someone saved this consent text at the same time; reload and try again.");
    }
    throw error;
  }
}
