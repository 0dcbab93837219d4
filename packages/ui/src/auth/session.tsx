import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { currentUser, loginAnswer, type CurrentUser } from '@gatehouse/protocol';
import { api, setUnauthorizedListener, tokenStore } from '../api/client';

interface Session {
  /** The signed-in user, once `GET /v1/me` has answered; null when signed out. */
  me: CurrentUser | null;
  signedIn: boolean;
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/**
 * Holds the session token and the signed-in user. Any 401 from the API ends
 * the session (an expired or revoked token), which sends the app to login.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => tokenStore.get());
  const [me, setMe] = useState<CurrentUser | null>(null);

  const end = useCallback(() => {
    tokenStore.clear();
    setToken(null);
    setMe(null);
  }, []);

  useEffect(() => setUnauthorizedListener(end), [end]);

  useEffect(() => {
    if (!token) return;
    let live = true;
    api('/me', { schema: currentUser })
      .then((value) => live && setMe(value))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [token]);

  const login = useCallback(async (email: string, password: string) => {
    const answer = await api('/auth/login', { method: 'POST', body: { email, password }, schema: loginAnswer });
    tokenStore.set(answer.token);
    setToken(answer.token);
  }, []);

  const logout = useCallback(async () => {
    // Revoke the session on the server; sign out locally whatever it answers.
    await api('/auth/logout', { method: 'POST', body: {} }).catch(() => undefined);
    end();
  }, [end]);

  const value = useMemo(() => ({ me, signedIn: token !== null, login, logout }), [me, token, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The current session (inside SessionProvider). */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside SessionProvider');
  return session;
}
