import { useState } from 'preact/hooks';
import { ErrorMessage, type Failure } from '../../errors.js';

/**
 * The server has a controls token (`serve --controls-token`): the console asks for it once and keeps
 * it in the tab's session. The API's 401 is shown once a token was tried and refused.
 */
export function ControlsTokenForm({ failure, tried, onToken }: { failure: Failure; tried: boolean; onToken(token: string): void }) {
  const [token, setToken] = useState('');
  return (
    <form
      class="dialog-form token-form"
      aria-label="Give the controls token"
      onSubmit={(event) => {
        event.preventDefault();
        onToken(token);
      }}
    >
      <p>This server's emulator controls need its controls token (the one given to <code>serve --controls-token</code>). API keys do not open them.</p>
      {tried && <ErrorMessage failure={failure} />}
      <label>
        Controls token
        <input type="password" required autocomplete="off" value={token} onInput={(e) => setToken(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary">
        Use token
      </button>
    </form>
  );
}
