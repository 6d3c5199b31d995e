import type { Prisma } from "./generated/client";

/**
 * A value as Prisma's Json columns take it: a plain JSON copy (undefined members dropped, dates as ISO strings,
 * no prototypes). Callers name the shape they need (`InputJsonObject` for an audit entry's data).
 */
export function toJsonValue<T extends Prisma.InputJsonValue = Prisma.InputJsonValue>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
