import { type FormEvent, useState } from 'react';
import type { SessionUser } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { useServices } from './services.js';

/** Full page when nobody is signed in; a dialog over the kept console when the session expired. */
export function SignIn({ expiredUser }: { expiredUser?: SessionUser }) {
  const { t, problem } = useI18n();
  const { api } = useServices();
  const [username, setUsername] = useState(expiredUser?.username ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.login(username.trim(), password);
    } catch (err) {
      setError(problem(err));
    } finally {
      setBusy(false);
    }
  };

  const form = (
    <form className="sign-in" onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">
        {t('app.name')} — {t('signIn.title')}
      </h1>
      {expiredUser && <p className="notice">{t('signIn.expired')}</p>}
      <label>
        {t('signIn.username')}
        <input name="username" autoComplete="username" autoFocus={!expiredUser} value={username} onChange={(e) => setUsername(e.target.value)} required />
      </label>
      <label>
        {t('signIn.password')}
        <input name="password" type="password" autoComplete="current-password" autoFocus={Boolean(expiredUser)} value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('signIn.busy') : t('signIn.submit')}
      </button>
      <LanguageSwitch />
    </form>
  );
  return expiredUser ? (
    <div className="modal-backdrop" role="dialog" aria-modal="true">
      {form}
    </div>
  ) : (
    <main className="sign-in-page">{form}</main>
  );
}
