import { I18nProvider } from '../i18n/i18n.js';
import { Console } from './Console.js';
import { ServicesProvider, useSessionState } from './services.js';
import { SignIn } from './SignIn.js';

function Root() {
  const session = useSessionState();
  if (session.kind === 'signed-out') return <SignIn />;
  // An expired session keeps the console (filters, open ticket, drafts) under the sign-in dialog.
  const user = session.kind === 'active' ? session.session.user : session.user;
  return (
    <>
      <Console key={user.id} user={user} frozen={session.kind === 'expired'} />
      {session.kind === 'expired' && <SignIn expiredUser={user} />}
    </>
  );
}

export function App() {
  return (
    <I18nProvider>
      <ServicesProvider>
        <Root />
      </ServicesProvider>
    </I18nProvider>
  );
}
