import { useState } from 'preact/hooks';
import { LocationProvider } from 'preact-iso';
import { clearSession, loadSession, saveSession, type Session } from './session.js';
import { Shell } from './shell.js';
import { SignIn } from './sign-in.js';

export function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const update = (next: Session | undefined) => {
    if (next) saveSession(next);
    else clearSession();
    setSession(next);
  };
  if (!session) return <SignIn onSignedIn={update} />;
  return (
    <LocationProvider scope="/console">
      <Shell session={session} onSession={update} />
    </LocationProvider>
  );
}
