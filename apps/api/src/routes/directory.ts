import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ChannelDtoSchema, LabelDtoSchema, QuickReplyDtoSchema, RoleSchema, TeamDtoSchema } from "@inbox/contracts";
import { listActiveUsers, listChannels, listLabels, listQuickReplies, listTeams } from "@inbox/core";
import { userOf } from "../plugins/auth";
import type { ApiDeps } from "../types";
import { guards, itemsOf } from "./route-options";

const DirectoryUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  teamIds: z.array(z.string()),
});

/** What every signed-in user may read: colleagues, teams, labels, quick replies, channels (menus and pickers). */
export function directoryRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { signedIn } = guards(app);
    const tags = ["directory"];

    app.get(
      "/api/users",
      signedIn({
        tags,
        summary: "Active users (names for assignment)",
        response: { 200: itemsOf(DirectoryUserSchema) },
      }),
      async () => ({ items: await listActiveUsers(deps.db) }),
    );
    app.get(
      "/api/teams",
      signedIn({ tags, summary: "Teams", response: { 200: itemsOf(TeamDtoSchema) } }),
      async () => ({
        items: await listTeams(deps.db),
      }),
    );
    app.get(
      "/api/labels",
      signedIn({ tags, summary: "Labels", response: { 200: itemsOf(LabelDtoSchema) } }),
      async () => ({ items: await listLabels(deps.db) }),
    );
    app.get(
      "/api/quick-replies",
      signedIn({
        tags,
        summary: "Quick replies for the user's teams",
        response: { 200: itemsOf(QuickReplyDtoSchema) },
      }),
      async (request) => ({ items: await listQuickReplies(deps.db, userOf(request).teamIds) }),
    );
    app.get(
      "/api/channels",
      signedIn({ tags, summary: "Channels with their status", response: { 200: itemsOf(ChannelDtoSchema) } }),
      async () => ({ items: await listChannels(deps.db) }),
    );
  };
}
