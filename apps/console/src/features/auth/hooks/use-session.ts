import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { SessionDto } from "@inbox/contracts";
import { ApiError } from "../../../lib/http";
import { fetchMe } from "../api";

const SESSION_KEY = ["session"] as const;

/** The current session, or null when signed out. */
export function useSession() {
  return useQuery<SessionDto | null>({
    queryKey: SESSION_KEY,
    queryFn: async () => {
      try {
        return await fetchMe();
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Infinity,
    retry: false,
  });
}

export function useSetSession() {
  const client = useQueryClient();
  return (session: SessionDto | null) => client.setQueryData(SESSION_KEY, session);
}
