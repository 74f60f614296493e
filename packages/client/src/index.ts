import createFetchClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './schema.js';

export type { paths, components, operations } from './schema.js';

export interface ClientOptions {
  /** Server root, e.g. http://127.0.0.1:8080 (no /v1). */
  baseUrl: string;
  keyId: string;
  keySecret: string;
  /**
   * How many times a key's 429 is retried, waiting X-RateLimit-Reset seconds
   * each time (default 3). A 429 without that header (too many failed
   * authentications, or connections, from this address) is not retried.
   */
  maxRetries?: number;
  fetch?: typeof fetch;
}

/** An error answer of the API, with the server's message and request id (quote it when reporting). */
export class OrgplaneApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly requestId: string | undefined,
    /** On a 429 or 503: seconds until a retry may succeed (X-RateLimit-Reset, else Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'OrgplaneApiError';
  }
}

export type OrgplaneClient = Client<paths>;

/** Base64 of the text's UTF-8 bytes, with what both browsers and Node have (no Buffer). */
function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A typed client for orgplane (and the vendor's API: the paths and names
 * match). Adds Basic auth, retries 429s after X-RateLimit-Reset, and turns
 * every error answer into an OrgplaneApiError.
 */
export function createClient(options: ClientOptions): OrgplaneClient {
  const baseFetch = options.fetch ?? fetch;
  const maxRetries = options.maxRetries ?? 3;
  const authorization = `Basic ${base64(`${options.keyId}:${options.keySecret}`)}`;

  // Retrying needs the request again, so it happens below openapi-fetch, in the fetch it calls.
  const retryingFetch = async (input: Request): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      const response = await baseFetch(input.clone());
      const reset = response.headers.get('x-ratelimit-reset');
      // Only the key's own rate limit names its reset; waiting out an address's failed-authentication
      // window (a minute) would leave a caller with a wrong secret hanging before it sees its 401.
      if (response.status !== 429 || reset === null || attempt >= maxRetries) return response;
      await response.body?.cancel();
      await sleep(Math.max(1, Number.isFinite(Number(reset)) ? Number(reset) : 1) * 1000);
    }
  };

  const client = createFetchClient<paths>({ baseUrl: options.baseUrl.replace(/\/$/, ''), fetch: retryingFetch });
  client.use(authorizeWith(authorization), throwOnError);
  return client;
}

export interface ControlsClientOptions {
  /** Server root, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  /** The server's `--controls-token`, when it has one. */
  token?: string;
  fetch?: typeof fetch;
}

/**
 * A typed client for the emulator controls (`serve --controls`): the same
 * paths type as createClient, authenticated with the controls token instead
 * of an API key, e.g. `controls.POST('/_orgplane/reset')`.
 */
export function createControlsClient(options: ControlsClientOptions): OrgplaneClient {
  const client = createFetchClient<paths>({ baseUrl: options.baseUrl.replace(/\/$/, ''), fetch: options.fetch ?? fetch });
  if (options.token !== undefined) client.use(authorizeWith(`Bearer ${options.token}`));
  client.use(throwOnError);
  return client;
}

function authorizeWith(authorization: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set('authorization', authorization);
      return request;
    },
  };
}

const throwOnError: Middleware = {
  async onResponse({ response }) {
    if (response.ok) return response;
    const body = (await response.clone().json().catch(() => undefined)) as { error?: string; requestId?: string } | undefined;
    const wait = Number(response.headers.get('x-ratelimit-reset') ?? response.headers.get('retry-after') ?? NaN);
    throw new OrgplaneApiError(response.status, body?.error ?? `HTTP ${response.status}`, body?.requestId, Number.isFinite(wait) ? wait : undefined);
  },
};
