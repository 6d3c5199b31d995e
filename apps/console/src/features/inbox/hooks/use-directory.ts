import { useQuery } from "@tanstack/react-query";
import { fetchChannels, fetchLabels, fetchQuickReplies, fetchTeams, fetchUsers } from "../api";

const opts = { staleTime: 5 * 60_000 };
export const useLabels = () => useQuery({ queryKey: ["labels"], queryFn: fetchLabels, ...opts });
export const useChannels = () => useQuery({ queryKey: ["channels"], queryFn: fetchChannels, ...opts });
export const useTeams = () => useQuery({ queryKey: ["teams"], queryFn: fetchTeams, ...opts });
export const useUsers = () => useQuery({ queryKey: ["users"], queryFn: fetchUsers, ...opts });
export const useQuickReplies = () => useQuery({ queryKey: ["quick-replies"], queryFn: fetchQuickReplies, ...opts });
