import type { AuditLogQuery } from "@inbox/contracts";
import type { DbTx } from "@inbox/db";
import { stringify } from "csv-stringify/sync";
import { recordAudit, type Actor } from "./record-audit";
import { listAuditLog } from "./list-audit-log";

/** Rows one CSV export holds at most (narrow the filters for more). */
const AUDIT_CSV_MAX_ROWS = 50_000;

/** The filtered audit log as CSV (newest first); the export itself is audited. */
export async function exportAuditLogCsv(
  db: DbTx,
  actor: Actor,
  query: Omit<AuditLogQuery, "limit" | "cursor">,
): Promise<string> {
  const rows: string[][] = [
    ["id", "createdAt", "action", "actorType", "actorId", "actorName", "targetType", "targetId", "ip", "data"],
  ];
  let cursor: string | undefined;
  do {
    const page = await listAuditLog(db, { ...query, limit: 500, ...(cursor ? { cursor } : {}) });
    for (const e of page.items) {
      rows.push([
        e.id,
        e.createdAt,
        e.action,
        e.actorType,
        e.actorId ?? "",
        e.actorName ?? "",
        e.target.type,
        e.target.id ?? "",
        e.ip ?? "",
        JSON.stringify(e.data),
      ]);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length <= AUDIT_CSV_MAX_ROWS);
  await recordAudit(db, actor, "audit_log.exported", "audit_log", null, {
    filters: { ...query },
    rows: rows.length - 1,
  });
  return stringify(rows);
}
