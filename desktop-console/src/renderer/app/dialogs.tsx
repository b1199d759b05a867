import { type ReactNode, useEffect, useRef, useState } from 'react';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { type MapSettings, saveMapSettings } from '../map/style.js';

function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  // The latest onClose, without re-running the effect: callers pass a new function on every render,
  // and re-running it would move the focus back to the first field while someone types.
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('input, select, button')?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close.current();
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      previous?.focus();
    };
  }, []);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title} ref={ref} onClick={(e) => e.stopPropagation()}>
        <header>
          <h2>{title}</h2>
          <button type="button" className="icon" onClick={onClose} aria-label={t('app.close')}>
            ×
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}

const helpLines: readonly MessageKey[] = ['help.views', 'help.search', 'help.grid', 'help.panel', 'help.actions', 'help.export', 'help.help'];

export function HelpDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog title={t('help.title')} onClose={onClose}>
      <p className="muted">{t('help.intro')}</p>
      <ul className="help-list">
        {helpLines.map((k) => (
          <li key={k}>{t(k)}</li>
        ))}
      </ul>
    </Dialog>
  );
}

export function SettingsDialog({ settings, serverStyleUrl, onSave, onClose }: { settings: MapSettings; serverStyleUrl: string | null; onSave: (s: MapSettings) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [styleUrl, setStyleUrl] = useState(settings.styleUrl);
  const [token, setToken] = useState(settings.token);
  return (
    <Dialog title={t('settings.title')} onClose={onClose}>
      <form
        className="settings"
        onSubmit={(e) => {
          e.preventDefault();
          const next = { styleUrl: styleUrl.trim(), token: token.trim() };
          saveMapSettings(localStorage, next);
          onSave(next);
          onClose();
        }}
      >
        <label>
          {t('settings.mapStyle')}
          <input type="url" value={styleUrl} onChange={(e) => setStyleUrl(e.target.value)} placeholder="https://…/style.json" />
        </label>
        <p className="muted">{serverStyleUrl ? t('settings.serverDefault', { url: serverStyleUrl }) : t('settings.mapStyleHint')}</p>
        <label>
          {t('settings.mapToken')}
          <input type="password" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" />
        </label>
        <div className="form-buttons">
          <button type="submit" className="primary">
            {t('app.save')}
          </button>
          <button type="button" onClick={onClose}>
            {t('app.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
