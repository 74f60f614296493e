// The page's own module, run by Chromium in client-browser.test.ts: the BUILT @orgplane/client, loaded
// through the page's import map, calling orgplane on the page's origin (the test forwards /v1 to it).
// Plain JavaScript, so the browser runs it as it is: no bundler and no transform stand in between.
import { createClient, OrgplaneApiError } from '@orgplane/client';

/** What the test needs to see of an error, as plain data (an Error does not cross page.evaluate). */
const describeError = (err) => ({
  isOrgplaneApiError: err instanceof OrgplaneApiError,
  name: err?.name,
  status: err?.status,
  message: err?.message,
  requestId: err?.requestId,
});

window.runClient = async ({ organizationId, keyId, keySecret, newName }) => {
  const client = createClient({ baseUrl: location.origin, keyId, keySecret });
  const organization = { params: { path: { organizationId } } };
  const read = await client.GET('/v1/organizations/{organizationId}', organization);
  const patched = await client.PATCH('/v1/organizations/{organizationId}', { ...organization, body: { name: newName } });
  const wrong = createClient({ baseUrl: location.origin, keyId, keySecret: `${keySecret}x` });
  const error = await wrong.GET('/v1/organizations').then(() => undefined, describeError);
  return {
    bufferType: typeof Buffer,
    read: { id: read.data.result.id, name: read.data.result.name },
    patchedName: patched.data.result.name,
    error,
  };
};
