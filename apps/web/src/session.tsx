/**
 * Who is signed in. The server's `GET /auth/me` is the only source: the session itself is an HttpOnly
 * cookie the page never sees, and nothing about the user is written to browser storage.
 */
import type { Me, Permission } from '@sibao/contracts';
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { ApiError, api } from './api';

export const meQueryKey = ['auth', 'me'] as const;

/** The signed-in user, or `null` when there is no session (a 401 is an answer here, not an error). */
async function fetchMe(): Promise<Me | null> {
  try {
    return await api.me();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function useMeQuery() {
  return useQuery({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

/** Why the login page is shown, carried in the router's location state. */
export type LoginNotice = 'expired' | 'loggedOut';
export interface LoginLocationState {
  from?: string;
  notice?: LoginNotice;
}

/** A fresh user: forget everything cached for the previous one, then remember who this is. */
export function rememberSignedIn(queryClient: QueryClient, me: Me): void {
  queryClient.clear();
  queryClient.setQueryData(meQueryKey, me);
}

export function forgetSignedIn(queryClient: QueryClient): void {
  queryClient.clear();
  queryClient.setQueryData(meQueryKey, null);
}

const MeContext = createContext<Me | null>(null);
export const MeProvider = MeContext.Provider;

/** The signed-in user, inside the authenticated part of the app. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside an authenticated route');
  return me;
}

export function can(me: Me, permission: Permission | null): boolean {
  return permission === null || me.permissions.includes(permission);
}
