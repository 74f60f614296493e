import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { ApiError } from '../domain/errors.js';

// Sec-Fetch-Mode values of fetch() and XHR; a navigation says "navigate".
const SCRIPT_MODES = new Set(['cors', 'same-origin', 'no-cors']);

/**
 * Whether a script in a web page sent the request. Browsers mark their
 * requests with Sec-Fetch-Mode and Sec-Fetch-Dest together; Node's fetch
 * sends Sec-Fetch-Mode alone, so Dest is what tells a page from a Node
 * program. Browsers send neither to plain-HTTP hosts other than localhost, so
 * the docs page also marks its own requests with X-Requested-With, the
 * conventional flag of a script's request.
 */
function fromScriptInPage(headers: IncomingHttpHeaders): boolean {
  if (String(headers['x-requested-with']).toLowerCase() === 'xmlhttprequest') return true;
  const mode = headers['sec-fetch-mode'];
  return typeof mode === 'string' && SCRIPT_MODES.has(mode.toLowerCase()) && headers['sec-fetch-dest'] !== undefined;
}

/**
 * The headers of an error answer: a 401 gets HTTP's `WWW-Authenticate`
 * challenge (the domain's error carries no transport headers), except when a
 * script in a page made the request. Chromium meets a Basic challenge on a
 * script's request by opening its own sign-in box and holding the answer back
 * until someone deals with it, so the docs page's "try it" never showed the
 * 401 (and hung where no one can click). A script has no use for the
 * challenge; curl, SDKs, Terraform, Node programs and address-bar navigations
 * keep it.
 */
export function errorHeaders(request: FastifyRequest, error: ApiError): Record<string, string | number> {
  if (error.code !== 'UNAUTHORIZED' || fromScriptInPage(request.headers)) return error.headers;
  // An error that names its own challenge (the controls' Bearer) keeps it.
  return { 'WWW-Authenticate': 'Basic realm="orgplane"', ...error.headers };
}
