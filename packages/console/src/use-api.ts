import { useCallback, useEffect, useState } from 'preact/hooks';
import { failureOf, type Failure } from './errors.js';

export interface Loaded<T> {
  data: T | undefined;
  failure: Failure | undefined;
  loading: boolean;
  reload(): void;
}

/** Runs a read when the view mounts (and on reload); its failure is the API's message. */
export function useApi<T>(read: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [state, setState] = useState<{ data?: T; failure?: Failure; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    read().then(
      (data) => current && setState({ data, loading: false }),
      (err: unknown) => current && setState({ failure: failureOf(err), loading: false }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [round, ...deps]);
  return { data: state.data, failure: state.failure, loading: state.loading, reload };
}

/** A mutation's state: running, and its failure (shown next to the action). */
export function useAction(): { running: boolean; failure: Failure | undefined; run(action: () => Promise<unknown>): Promise<boolean>; clear(): void } {
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<Failure | undefined>();
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setRunning(true);
    setFailure(undefined);
    try {
      await action();
      return true;
    } catch (err) {
      setFailure(failureOf(err));
      return false;
    } finally {
      setRunning(false);
    }
  }, []);
  return { running, failure, run, clear: () => setFailure(undefined) };
}
