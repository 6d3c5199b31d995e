import { z } from "zod";

/** Error body of every 4xx/5xx answer: a machine-readable code and a human-readable reason. */
export const ApiErrorSchema = z.object({ code: z.string(), message: z.string() }).loose();
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
