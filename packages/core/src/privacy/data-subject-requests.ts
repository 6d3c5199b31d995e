import type { Readable } from "node:stream";
import type { CreateDataSubjectRequestBody, DataSubjectRequestDto } from "@inbox/contracts";
import type { DataSubjectRequest, Prisma } from "@inbox/db";
import { recordAudit, type Actor } from "../audit/record-audit";
import { isUuid } from "../shared/ids";
import { AppError } from "../errors/app-error";
import { eraseContact, type EraseContactDeps } from "./erase-contact";
import { exportContactData } from "./export-contact-data";

/** Art. 12(3): answer within one month. */
const DUE_MS = 30 * 24 * 3600 * 1000;

function toDataSubjectRequestDto(r: DataSubjectRequest): DataSubjectRequestDto {
  return {
    id: r.id,
    type: r.type,
    status: r.status === "done" ? "done" : r.status === "failed" ? "failed" : "pending",
    contactId: r.contactId,
    createdAt: r.createdAt.toISOString(),
    completedAt: r.completedAt?.toISOString() ?? null,
    report: (r.result ?? {}) as Record<string, unknown>,
    hasDownload: r.type === "export" && r.status === "done" && !!r.exportKey,
  };
}

/**
 * Records an export (Art. 15) or erasure (Art. 17) request for a contact and carries it out at once: the export as
 * a zip in the media store, the erasure as `eraseContact`. An erasure under legal hold is refused (409
 * `legal_hold`) before anything is recorded against the contact. The request row keeps no phone number.
 */
export async function createDataSubjectRequest(
  deps: EraseContactDeps,
  actor: Actor,
  body: CreateDataSubjectRequestBody,
  now = new Date(),
): Promise<DataSubjectRequestDto> {
  const { db } = deps;
  if (!(await db.contact.count({ where: { id: body.contactId } })))
    throw new AppError("not_found", "Contact not found.");
  const request = await db.$transaction(async (tx) => {
    const created = await tx.dataSubjectRequest.create({
      data: {
        type: body.type,
        status: "in_progress",
        contactId: body.contactId,
        subjectIdentifier: `contact:${body.contactId}`,
        dueAt: new Date(now.getTime() + DUE_MS),
        handledById: actor.type === "user" ? actor.userId : null,
      },
    });
    await recordAudit(tx, actor, `data_subject.${body.type}_requested`, "data_subject_request", created.id, {
      contactId: body.contactId,
    });
    return created;
  });
  try {
    if (body.type === "export") {
      const { zip, counts } = await exportContactData({ db, media: deps.media }, body.contactId, now);
      const key = `exports/${request.id}`;
      await deps.media.put(key, zip);
      const done = await db.$transaction(async (tx) => {
        await recordAudit(tx, actor, "data_subject.exported", "contact", body.contactId, {
          requestId: request.id,
          ...counts,
        });
        return tx.dataSubjectRequest.update({
          where: { id: request.id },
          data: { status: "done", completedAt: new Date(), exportKey: key, result: counts },
        });
      });
      return toDataSubjectRequestDto(done);
    }
    const report = await eraseContact(deps, actor, body.contactId, now);
    const done = await db.dataSubjectRequest.update({
      where: { id: request.id },
      data: {
        status: "done",
        completedAt: new Date(),
        result: report as unknown as Prisma.InputJsonObject,
      },
    });
    return toDataSubjectRequestDto(done);
  } catch (error) {
    const isHold = error instanceof AppError && error.code === "legal_hold";
    await db.dataSubjectRequest.update({
      where: { id: request.id },
      data: {
        status: "failed",
        completedAt: new Date(),
        result: { error: isHold ? "legal_hold" : "failed" },
      },
    });
    throw error;
  }
}

export async function getDataSubjectRequest(db: EraseContactDeps["db"], id: string): Promise<DataSubjectRequestDto> {
  const found = isUuid(id) ? await db.dataSubjectRequest.findUnique({ where: { id } }) : null;
  if (!found) throw new AppError("not_found", "Request not found.");
  return toDataSubjectRequestDto(found);
}

export async function listDataSubjectRequests(db: EraseContactDeps["db"]): Promise<DataSubjectRequestDto[]> {
  const rows = await db.dataSubjectRequest.findMany({ orderBy: { createdAt: "desc" }, take: 200 });
  return rows.map(toDataSubjectRequestDto);
}

/** The export zip of a finished export request; each download is audited. */
export async function openDataSubjectExport(
  deps: EraseContactDeps,
  actor: Actor,
  id: string,
): Promise<{ stream: Readable; filename: string }> {
  const found = isUuid(id) ? await deps.db.dataSubjectRequest.findUnique({ where: { id } }) : null;
  if (!found) throw new AppError("not_found", "Request not found.");
  if (found.type !== "export" || found.status !== "done" || !found.exportKey) {
    throw new AppError("conflict", "This request has no export to download.");
  }
  const stream = await deps.media.get(found.exportKey);
  await recordAudit(deps.db, actor, "data_subject.export_downloaded", "data_subject_request", id);
  return { stream, filename: `data-export-${id}.zip` };
}
