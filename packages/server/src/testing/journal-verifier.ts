import { AssertionError } from 'node:assert';
import type { OrgplaneClient } from '@orgplane/client';
import { DEFAULT_JOURNAL_SIZE, type JournalEntry } from '../schemas/controls.js';

export interface RequestFilter {
  /** GET, POST, PATCH, DELETE, …; any when absent. */
  method?: string;
  /** The route as the OpenAPI document writes it, e.g. /v1/organizations/{organizationId}/keys; any when absent. */
  route?: string;
}

export interface JournalVerifier {
  /** The API requests the server answered that match, newest first, from the request journal (GET /_orgplane/requests). */
  requests(filter?: RequestFilter): Promise<JournalEntry[]>;
  /** Rejects with an AssertionError unless exactly `times` requests matched the route (and method, when given). */
  expectCalled(route: string, times: number, filter?: Pick<RequestFilter, 'method'>): Promise<void>;
}

/** Verification over the request journal, WireMock's verify() for orgplane, read through the controls API. */
export function journalVerifier(controls: OrgplaneClient): JournalVerifier {
  const requests = async ({ method, route }: RequestFilter = {}): Promise<JournalEntry[]> => {
    const { data } = await controls.GET('/_orgplane/requests', { params: { query: { limit: String(DEFAULT_JOURNAL_SIZE) } } });
    const wanted = method?.toUpperCase();
    return (data!.result as JournalEntry[]).filter((entry) => (wanted === undefined || entry.method === wanted) && (route === undefined || entry.route === route));
  };
  return {
    requests,
    async expectCalled(route, times, filter = {}) {
      const seen = await requests({ ...filter, route });
      if (seen.length === times) return;
      const what = `${filter.method ? `${filter.method.toUpperCase()} ` : ''}${route}`;
      throw new AssertionError({
        message: `expected ${what} to be called ${times} time(s), but it was called ${seen.length} time(s)${seen.length ? `: ${seen.map((e) => `${e.method} ${e.path} → ${e.status ?? 'no answer'}`).join(', ')}` : ''}`,
        actual: seen.length,
        expected: times,
        operator: 'expectCalled',
      });
    },
  };
}
