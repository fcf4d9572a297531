// Who is signed in: `GET /api/v1/me`, kept in the query cache under ["me"].
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { api, data, setCsrfToken, type Me, type Schemas } from "../../api/client";
import { ProblemError } from "../../api/problem";

export const meQueryKey = ["me"] as const;

export async function fetchMe(): Promise<Me | null> {
  try {
    const me = data(await api.GET("/api/v1/me"));
    setCsrfToken(me.csrf_token);
    return me;
  } catch (error) {
    if (error instanceof ProblemError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useMe() {
  return useQuery({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: Infinity });
}

/** The signed-in person; only for components rendered inside the signed-in shell. Right after
 * sign-out a page of the shell may render once more before the shell leaves (its own queries were
 * dropped too): it gets the person it was showing, not an error. */
export function useSession(): Me {
  const { data: me } = useMe();
  const shown = useRef(me);
  if (me) shown.current = me;
  if (!shown.current) throw new Error("useSession() outside the signed-in shell");
  return shown.current;
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["LoginRequest"]) => data(await api.POST("/api/v1/auth/login", { body })),
    onSuccess(me) {
      setCsrfToken(me.csrf_token);
      queryClient.setQueryData(meQueryKey, me);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await api.POST("/api/v1/auth/logout");
    },
    onSettled() {
      setCsrfToken(null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
      queryClient.setQueryData(meQueryKey, null);
    },
  });
}
