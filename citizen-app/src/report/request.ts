import type { ReportRequest } from '../api/types.ts';
import type { Draft } from './draft.tsx';

/** Turns the finished draft into the API request; blank optional fields are left out, not sent empty. */
export function reportRequest(draft: Draft, now: Date): ReportRequest {
  if (!draft.category) throw new Error('A report needs a category');
  if (!draft.position) throw new Error('A report needs a position');
  const trimmed = (value: string | undefined) => value?.trim() || undefined;
  const contact = draft.anonymous
    ? undefined
    : { name: trimmed(draft.contact.name), phone: trimmed(draft.contact.phone), email: trimmed(draft.contact.email) };
  const hasContact = contact && Object.values(contact).some((v) => v !== undefined);
  return {
    category: draft.category,
    ...(draft.subcategory ? { subcategory: draft.subcategory } : {}),
    description: draft.description.trim(),
    location: {
      lat: round(draft.position.lat),
      lon: round(draft.position.lon),
      ...(draft.position.accuracy !== null ? { accuracy: Math.round(draft.position.accuracy) } : {}),
    },
    ...(trimmed(draft.landmark) ? { landmark: trimmed(draft.landmark) } : {}),
    anonymous: draft.anonymous,
    confidential: draft.confidential,
    ...(hasContact ? { contact: Object.fromEntries(Object.entries(contact).filter(([, v]) => v !== undefined)) } : {}),
    clientTime: localIso(now),
  };
}

/** Six decimals is about 11 cm: more would only pretend. */
const round = (degrees: number) => Math.round(degrees * 1e6) / 1e6;

/** The phone's local time with its offset, as the API's clientTime expects. */
export function localIso(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
  return `${local}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}
