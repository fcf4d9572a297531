import { QueryCache, QueryClient } from "@tanstack/react-query";
import { ProblemError } from "../api/problem";
import { meQueryKey } from "../features/accounts/session";

/** One cache for the app. A 401 anywhere means the session ended: forget who we were. */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError(error, query) {
        if (error instanceof ProblemError && error.status === 401 && query.queryKey[0] !== meQueryKey[0]) {
          client.setQueryData(meQueryKey, null);
        }
      },
    }),
    defaultOptions: {
      queries: {
        retry: (failures, error) => !(error instanceof ProblemError && error.status < 500) && failures < 2,
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
