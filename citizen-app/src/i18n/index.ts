export { I18nProvider, useI18n, storedLanguage } from './i18n.tsx';
export { translate, translateCode, formatBytes, formatDistance, formatDateTime, formatRelative } from './format.ts';
export { fr, en, languages, type Language, type MessageKey } from './messages.ts';
