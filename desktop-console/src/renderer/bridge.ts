import type { DeepLink, PalabreBridge, SaveFileRequest, SaveFileResult, UrgentNotification } from '../shared/bridge.js';

declare global {
  interface Window {
    /** Present only inside the Electron app (see src/preload). */
    readonly palabre?: PalabreBridge;
  }
}

/** The Electron bridge when running in the desktop app; browser equivalents otherwise. */
export const desktop: PalabreBridge | null = typeof window !== 'undefined' ? (window.palabre ?? null) : null;

const mimeTypes = { csv: 'text/csv;charset=utf-8', json: 'application/json', geojson: 'application/geo+json' } as const;

export async function saveExport(request: SaveFileRequest): Promise<SaveFileResult> {
  if (desktop) return desktop.saveFile(request);
  // A UTF-8 byte-order mark: Excel otherwise reads accented quartier names as mojibake.
  const blob = new Blob([request.kind === 'csv' ? '\uFEFF' : '', request.content], { type: mimeTypes[request.kind] });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = request.suggestedName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { saved: true, path: request.suggestedName };
}

export async function notifyUrgent(notification: UrgentNotification, openTicket: (id: string) => void): Promise<void> {
  if (desktop) return desktop.notify(notification);
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || document.hasFocus()) return;
  const shown = new Notification(notification.title, { body: notification.body, tag: notification.ticketId ?? 'palabre' });
  if (notification.ticketId) {
    const id = notification.ticketId;
    shown.onclick = () => {
      window.focus();
      openTicket(id);
    };
  }
}

export function onDeepLink(listener: (link: DeepLink) => void): () => void {
  if (desktop) return desktop.onDeepLink(listener);
  // In a browser the same link is the URL hash: /console/#ticket/{id}.
  const fromHash = () => {
    const match = /^#ticket\/([A-Za-z0-9._:-]{1,120})$/.exec(location.hash);
    if (match) listener({ ticketId: match[1]! });
  };
  fromHash();
  window.addEventListener('hashchange', fromHash);
  return () => window.removeEventListener('hashchange', fromHash);
}
