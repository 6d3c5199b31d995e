import { useInfiniteQuery } from "@tanstack/react-query";
import { fetchConversations, type ListFilters } from "../api";

const conversationsKey = (f: ListFilters) => ["conversations", f] as const;

/** The inbox list, 200 per page, further pages as the user scrolls. */
export function useConversations(filters: ListFilters) {
  return useInfiniteQuery({
    queryKey: conversationsKey(filters),
    queryFn: ({ pageParam, signal }) => fetchConversations(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 30_000,
  });
}
