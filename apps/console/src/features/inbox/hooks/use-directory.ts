import { useQuery } from "@tanstack/react-query";
import { fetchChannels, fetchLabels, fetchPresence, fetchQuickReplies, fetchTeams, fetchUsers } from "../api";

const opts = { staleTime: 5 * 60_000 };
export const useLabels = () => useQuery({ queryKey: ["labels"], queryFn: fetchLabels, ...opts });
export const useChannels = () => useQuery({ queryKey: ["channels"], queryFn: fetchChannels, ...opts });
export const useTeams = () => useQuery({ queryKey: ["teams"], queryFn: fetchTeams, ...opts });
export const useUsers = () => useQuery({ queryKey: ["users"], queryFn: fetchUsers, ...opts });
export const useQuickReplies = () => useQuery({ queryKey: ["quick-replies"], queryFn: fetchQuickReplies, ...opts });
/** Ids of colleagues with the console open; kept current by `presence` live events (see use-live). */
export const PRESENCE_KEY = ["presence"] as const;
export const usePresence = () =>
  useQuery({ queryKey: PRESENCE_KEY, queryFn: fetchPresence, staleTime: 60_000, refetchInterval: 60_000 });
