/**
 * The one surface the Electron preload exposes to the renderer (`window.palabre`).
 * Kept small on purpose: every method is a door from web content into the operating system.
 */

/** IPC channel names shared by main and preload. */
export const bridgeChannels = {
  saveFile: 'palabre:save-file',
  notify: 'palabre:notify',
  deepLink: 'palabre:deep-link',
} as const;

/** File kinds the console may save; the native dialog offers only the matching filter. */
export const exportKinds = {
  csv: { extension: 'csv', label: 'CSV' },
  json: { extension: 'json', label: 'JSON' },
  geojson: { extension: 'geojson', label: 'GeoJSON' },
} as const;
export type ExportKind = keyof typeof exportKinds;

export interface SaveFileRequest {
  /** File name proposed in the dialog, without any directory. */
  readonly suggestedName: string;
  readonly kind: ExportKind;
  readonly content: string;
}

export type SaveFileResult = { readonly saved: true; readonly path: string } | { readonly saved: false };

export interface UrgentNotification {
  readonly title: string;
  readonly body: string;
  /** Ticket opened when the dispatcher clicks the notification. */
  readonly ticketId?: string;
}

/** A `palabre://ticket/{id}` link the OS handed to the app. */
export interface DeepLink {
  readonly ticketId: string;
}

export interface PalabreBridge {
  /** Asks where to save through the native dialog, then writes the file. */
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  /** Shows an OS notification (urgent tickets). */
  notify(notification: UrgentNotification): Promise<void>;
  /** Subscribes to deep links; returns the unsubscribe function. */
  onDeepLink(listener: (link: DeepLink) => void): () => void;
}
