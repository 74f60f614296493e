import { useEffect, useMemo, useState } from 'preact/hooks';
import { Route, Router, useLocation } from 'preact-iso';
import { loadAccess, type Access } from './access.js';
import { Console } from './context.js';
import { apiClient, type Session } from './session.js';
import { VIEWS } from './views.js';

/** Whether the server serves the emulator controls: their clock answers 200, or 401 when they need a token. */
async function controlsServed(): Promise<boolean> {
  const response = await fetch('/_orgplane/clock', { headers: { accept: 'application/json' } }).catch(() => undefined);
  return response?.status === 200 || response?.status === 401;
}

export function Shell({ session, onSession }: { session: Session; onSession(next: Session | undefined): void }) {
  const client = useMemo(() => apiClient(session), [session.keyId, session.keySecret]);
  const [access, setAccess] = useState<Access | undefined>();
  const [controls, setControls] = useState(false);
  const { path, route } = useLocation();
  useEffect(() => {
    loadAccess(client, session).then(setAccess);
    controlsServed().then(setControls);
  }, [client]);
  useEffect(() => {
    if (path === '/console' || path === '/console/') route('/console/organization', true);
  }, [path]);
  const views = VIEWS.filter((view) => !view.controlsOnly || controls);
  const current = views.find((view) => path.startsWith(view.path));
  useEffect(() => {
    document.title = `${current ? `${current.name} · ` : ''}${session.organizationName} · orgplane console`;
  }, [current, session.organizationName]);
  if (!access) return <p class="loading">Loading…</p>;
  const context = { session, client, access, org: { params: { path: { organizationId: session.organizationId } } }, updateSession: onSession };
  return (
    <Console.Provider value={context}>
      <header class="top">
        <span class="brand">orgplane</span>
        <span class="organization">{session.organizationName}</span>
        <span class="key">
          Key …{session.keyId.slice(-4)}
          {!access.known && <span class="badge">read-only</span>}
        </span>
        <button type="button" onClick={() => onSession(undefined)}>
          Sign out
        </button>
      </header>
      <div class="layout">
        <nav aria-label="Console">
          <ul>
            {views.map((view) => (
              <li key={view.path}>
                <a href={view.path} aria-current={current === view ? 'page' : undefined}>
                  {view.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main>
          <Router>
            {[
              ...views.map((view) => <Route key={view.path} path={view.path} component={view.component} />),
              <Route key="default" default component={NotFound} />,
            ]}
          </Router>
        </main>
      </div>
    </Console.Provider>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        This console has no such page. <a href="/console/organization">Go to the organization.</a>
      </p>
    </section>
  );
}
