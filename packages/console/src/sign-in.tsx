import { useState } from 'preact/hooks';
import { ErrorMessage, failureOf, type Failure } from './errors.js';
import { apiClient, type Session } from './session.js';

/** Key ID and secret, checked with GET /v1/organizations: the key's organization is the one it lists. */
export function SignIn({ onSignedIn }: { onSignedIn(session: Session): void }) {
  const [keyId, setKeyId] = useState('');
  const [keySecret, setKeySecret] = useState('');
  const [failure, setFailure] = useState<Failure | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      const { data } = await apiClient({ keyId, keySecret }).GET('/v1/organizations');
      const organization = data!.result[0]!;
      onSignedIn({ keyId, keySecret, organizationId: organization.id, organizationName: organization.name });
    } catch (err) {
      setFailure(failureOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>orgplane console</h1>
      <form onSubmit={submit}>
        <label>
          Key ID
          <input name="keyId" autocomplete="username" required value={keyId} onInput={(e) => setKeyId(e.currentTarget.value.trim())} />
        </label>
        <label>
          Key secret
          <input name="keySecret" type="password" autocomplete="current-password" required value={keySecret} onInput={(e) => setKeySecret(e.currentTarget.value.trim())} />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {failure && <ErrorMessage failure={failure} />}
      <p class="hint">The key stays in this tab only (sessionStorage) and is sent to this server alone, as Basic authentication.</p>
    </main>
  );
}
