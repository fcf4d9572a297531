import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { ProblemError } from "../api/problem";
import { meQueryKey } from "../features/accounts/session";

/** One cache for the app. A 401 anywhere means the session ended: forget who we were. */
export function createQueryClient(): QueryClient {
  const sessionEnded = (error: unknown) => {
    if (error instanceof ProblemError && error.status === 401 && client.getQueryData(meQueryKey)) {
      client.setQueryData(meQueryKey, null);
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError(error, query) {
        if (query.queryKey[0] !== meQueryKey[0]) sessionEnded(error);
      },
    }),
    mutationCache: new MutationCache({ onError: sessionEnded }),
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
