import { OrgplaneApiError } from '@orgplane/client';
import { useEffect, useState } from 'preact/hooks';

/** What the console shows of a failed call: the API's own message and requestId, never a guess. */
export interface Failure {
  status?: number;
  message: string;
  requestId?: string;
  retryAfterSeconds?: number;
}

export function failureOf(err: unknown): Failure {
  if (err instanceof OrgplaneApiError) {
    return {
      status: err.status,
      message: err.message,
      ...(err.requestId ? { requestId: err.requestId } : {}),
      ...(err.retryAfterSeconds !== undefined ? { retryAfterSeconds: err.retryAfterSeconds } : {}),
    };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}

/** The API's message and requestId; a 429 counts down to when a retry may succeed. */
export function ErrorMessage({ failure }: { failure: Failure }) {
  const [left, setLeft] = useState(failure.retryAfterSeconds);
  useEffect(() => {
    setLeft(failure.retryAfterSeconds);
    if (failure.status !== 429 || failure.retryAfterSeconds === undefined) return;
    const started = Date.now();
    const timer = setInterval(() => {
      const remaining = Math.max(0, Math.ceil(failure.retryAfterSeconds! - (Date.now() - started) / 1000));
      setLeft(remaining);
      if (remaining === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [failure]);
  return (
    <div role="alert" class="error">
      <strong>{failure.status ? `${failure.status}: ` : ''}</strong>
      {failure.message}
      {failure.status === 429 && left !== undefined && <span class="countdown"> Retry in {left} s.</span>}
      {failure.requestId && <div class="request-id">Request ID: <code>{failure.requestId}</code></div>}
    </div>
  );
}
