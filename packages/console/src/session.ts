import { createClient, createControlsClient, type OrgplaneClient } from '@orgplane/client';

/** Who is signed in to this tab: kept in sessionStorage (gone with the tab), never in localStorage or cookies. */
export interface Session {
  keyId: string;
  keySecret: string;
  organizationId: string;
  organizationName: string;
  /** The controls token, when the server asks for one (only with --controls). */
  controlsToken?: string;
}

const STORAGE_KEY = 'orgplane-console-session';

export function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/**
 * The typed client with the session's key, on this page's origin. No retries: a 429 is shown
 * with its countdown instead of holding the page.
 */
export function apiClient(credentials: { keyId: string; keySecret: string }): OrgplaneClient {
  return createClient({ baseUrl: location.origin, keyId: credentials.keyId, keySecret: credentials.keySecret, maxRetries: 0 });
}

export function controlsClient(session: Session): OrgplaneClient {
  return createControlsClient({ baseUrl: location.origin, ...(session.controlsToken ? { token: session.controlsToken } : {}) });
}
