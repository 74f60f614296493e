import type { OrgplaneClient } from '@orgplane/client';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Access } from './access.js';
import type { Session } from './session.js';

/** What every view needs: the session, its client, what the key may do. */
export interface ConsoleContext {
  session: Session;
  client: OrgplaneClient;
  access: Access;
  /** The path parameters of the signed-in organization, as the typed client takes them. */
  org: { params: { path: { organizationId: string } } };
  /** Keeps a change to the session (the controls token) for the rest of the tab. */
  updateSession(next: Session): void;
}

export const Console = createContext<ConsoleContext | undefined>(undefined);

export function useConsole(): ConsoleContext {
  return useContext(Console)!;
}
