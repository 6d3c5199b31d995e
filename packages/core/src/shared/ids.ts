import { AppError } from "../errors/app-error";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` can be one of our row ids (Postgres uuid); lookups skip the query for anything else. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** A value that cannot be an id names nothing: `not_found` ("<What> not found."), as an unknown id would. */
export function assertUuid(value: string, what: string): void {
  if (!isUuid(value)) throw new AppError("not_found", `${what} not found.`);
}
