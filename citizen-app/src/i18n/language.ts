import { languages, type Language } from './messages.ts';

/** Where the person's choice of language is kept on the phone. */
export const languageStorageKey = 'palabre.language';

/** French unless the person chose English on this phone. */
export function storedLanguage(): Language {
  const saved = localStorage.getItem(languageStorageKey);
  return languages.includes(saved as Language) ? (saved as Language) : 'fr';
}
