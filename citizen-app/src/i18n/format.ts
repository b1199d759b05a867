import { dictionaries, type Language, type MessageKey } from './messages.ts';

export type Params = Record<string, string | number>;

/** Looks a message up and fills its {placeholders}; a missing parameter stays visible rather than vanishing. */
export function translate(language: Language, key: MessageKey, params: Params = {}): string {
  return fill(dictionaries[language][key], params);
}

/** Fills a message's {placeholders} (screens loaded later bring their own messages). */
export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Translates an API problem code (e.g. `location.outside_communes`) with a generic fallback. */
export function translateCode(language: Language, code: string): string {
  const key = `error.${code}` as MessageKey;
  return key in dictionaries[language] ? translate(language, key) : translate(language, 'error.unknown');
}

export function formatBytes(bytes: number, language: Language): string {
  const kb = bytes / 1024;
  const number = new Intl.NumberFormat(language, { maximumFractionDigits: kb < 10 ? 1 : 0 });
  return kb < 1024 ? `${number.format(kb)} ${language === 'fr' ? 'Ko' : 'KB'}` : `${number.format(kb / 1024)} ${language === 'fr' ? 'Mo' : 'MB'}`;
}

export function formatDistance(metres: number, language: Language): string {
  const number = new Intl.NumberFormat(language, { maximumFractionDigits: metres < 1000 ? 0 : 1 });
  return metres < 1000 ? `${number.format(Math.round(metres / 10) * 10)} m` : `${number.format(metres / 1000)} km`;
}

export function formatDateTime(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** "in 2 min", "dans 30 s": when the outbox will try again. */
export function formatRelative(targetMs: number, nowMs: number, language: Language): string {
  const seconds = Math.max(0, Math.round((targetMs - nowMs) / 1000));
  const rtf = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  return seconds < 60 ? rtf.format(seconds, 'second') : rtf.format(Math.round(seconds / 60), 'minute');
}
