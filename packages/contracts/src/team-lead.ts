import { z } from "zod";

/**
 * Bulk reassignment (leads and admins): the conversations go to the assignee (null: nobody, back to the queue)
 * and/or the team; the optional internal note is added to each conversation that moved.
 */
export const BulkReassignBodySchema = z
  .object({
    conversationIds: z.array(z.string()).min(1).max(500),
    assigneeId: z.string().nullable().optional(),
    teamId: z.string().optional(),
    note: z.string().trim().min(1).max(4096).optional(),
  })
  .refine((b) => b.assigneeId !== undefined || b.teamId !== undefined, {
    message: "Name an assignee (or null) or a team.",
  });
export type BulkReassignBody = z.infer<typeof BulkReassignBodySchema>;

/** One answer per conversation: moved (or already there), or refused with the code a single request would get. */
export const BulkReassignResultSchema = z.object({
  conversationId: z.string(),
  isMoved: z.boolean(),
  code: z.string().nullable(),
  message: z.string().nullable(),
});
export const BulkReassignResponseSchema = z.object({
  moved: z.number().int(),
  refused: z.number().int(),
  results: z.array(BulkReassignResultSchema),
});
export type BulkReassignResponse = z.infer<typeof BulkReassignResponseSchema>;

/** A team member on the lead dashboard. */
export const DashboardAgentSchema = z.object({
  userId: z.string(),
  name: z.string(),
  role: z.enum(["member", "lead"]),
  availability: z.enum(["available", "away", "offline"]),
  /** The console is open (presence). */
  isOnline: z.boolean(),
  /** Open (not resolved) conversations assigned to the agent, in any team. */
  load: z.number().int(),
  maxOpenConversations: z.number().int().nullable(),
  /** The running absence, if any: until when (null: until further notice) and who covers. */
  absence: z
    .object({
      endsAt: z.iso.datetime().nullable(),
      substituteName: z.string().nullable(),
    })
    .nullable(),
});
export type DashboardAgent = z.infer<typeof DashboardAgentSchema>;

/** A conversation waiting in a team's queue, oldest first. */
export const DashboardQueuedSchema = z.object({
  conversationId: z.string(),
  contactName: z.string().nullable(),
  queuedAt: z.iso.datetime(),
});

export const DashboardTeamSchema = z.object({
  teamId: z.string(),
  name: z.string(),
  /** Unassigned conversations of the team that are not resolved. */
  queueLength: z.number().int(),
  /** Seconds the oldest of them has waited (null: nobody waits). */
  longestWaitSeconds: z.number().int().nullable(),
  /** The oldest waiting conversations (at most 50) for bulk reassignment. */
  queue: z.array(DashboardQueuedSchema),
  /** Not resolved conversations of the team right now. */
  openCount: z.number().int(),
  /** Conversations of the team resolved since midnight in the team's time zone. */
  resolvedToday: z.number().int(),
  /** Median seconds from a conversation's start to the first answer, over those started today; null: none yet. */
  medianFirstResponseSeconds: z.number().int().nullable(),
  agents: z.array(DashboardAgentSchema),
});
export type DashboardTeam = z.infer<typeof DashboardTeamSchema>;

export const TeamDashboardSchema = z.object({ generatedAt: z.iso.datetime(), teams: z.array(DashboardTeamSchema) });
export type TeamDashboard = z.infer<typeof TeamDashboardSchema>;
