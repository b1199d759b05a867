import { useI18n } from '../i18n/i18n.js';

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <div className="language-switch" role="group" aria-label={t('nav.language')}>
      {(['fr', 'en'] as const).map((l) => (
        <button key={l} type="button" aria-pressed={language === l} className={language === l ? 'active' : ''} onClick={() => setLanguage(l)} lang={l}>
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
