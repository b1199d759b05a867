import type { Labels } from '@palabre/domain';
import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiProblem, NetworkError } from '../api/problem.js';
import { en } from './en.js';
import { type MessageKey, fr } from './fr.js';

export type Language = 'fr' | 'en';
export type { MessageKey };
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const dictionaries: Record<Language, Record<MessageKey, string>> = { fr, en };
const storageKey = 'palabre.language';

export function translate(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return dictionaries[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** "3 h", "2 j": the largest unit that keeps the number readable. */
export function formatDuration(t: Translate, ms: number): string {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  if (minutes < 90) return t('duration.minutes', { n: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return t('duration.hours', { n: hours });
  return t('duration.days', { n: Math.round(hours / 24) });
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(fr, key);
}

export interface I18n {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
  readonly t: Translate;
  /** Reference data labels ({fr, en}) in the current language. */
  readonly label: (labels: Labels | undefined, fallback: string) => string;
  readonly formatDateTime: (iso: string | null) => string;
  readonly formatDay: (isoDay: string) => string;
  readonly formatNumber: (n: number, options?: Intl.NumberFormatOptions) => string;
  /** A refusal from the API in words: the translated `code`, or the server's English `detail`. */
  readonly problem: (error: unknown) => string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLanguage(): Language {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(storageKey);
  return saved === 'en' || saved === 'fr' ? saved : 'fr';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(storageKey, next);
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const locale = language === 'fr' ? 'fr-CM' : 'en-CM';
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
    const day = new Intl.DateTimeFormat(locale, { day: '2-digit', month: 'short', timeZone: 'UTC' });
    const t: Translate = (key, params) => translate(language, key, params);
    return {
      language,
      setLanguage,
      t,
      label: (labels, fallback) => labels?.[language] ?? fallback,
      formatDateTime: (iso) => (iso ? dateTime.format(new Date(iso)) : t('app.none')),
      formatDay: (isoDay) => day.format(new Date(`${isoDay}T00:00:00Z`)),
      formatNumber: (n, options) => new Intl.NumberFormat(locale, options).format(n),
      problem: (error) => {
        if (error instanceof NetworkError) return t('problem.network');
        if (error instanceof ApiProblem) {
          const key = `problem.${error.code}`;
          return isMessageKey(key) ? t(key) : error.detail || error.code;
        }
        return error instanceof Error ? error.message : String(error);
      },
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
