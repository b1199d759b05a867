import type { StatusChange } from '../tickets/store.ts';

/** Asks once, from a tap: browsers ignore permission prompts that no gesture started. */
export async function askNotificationPermission(): Promise<NotificationPermission> {
  if (!('Notification' in window)) return 'denied';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

export const notificationsAvailable = (): boolean => 'Notification' in window;

/**
 * A system notification where the person allowed it. Through the service worker when there is one:
 * Android Chrome refuses `new Notification()` in pages.
 */
export function showSystemNotification(change: StatusChange, title: string, body: string, url: string): Promise<void> {
  return showNotification(`ticket-${change.ticket.id}`, title, body, url);
}

/** A system notification of anything the app follows (`tag`: one per report or proposal, a newer one replaces it). */
export async function showNotification(tag: string, title: string, body: string, url: string): Promise<void> {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  const options: NotificationOptions = { body, tag, icon: `${import.meta.env.BASE_URL}icons/icon-192.png`, data: { url } };
  const registration = 'serviceWorker' in navigator ? await navigator.serviceWorker.getRegistration() : undefined;
  if (registration?.active) {
    await registration.showNotification(title, options);
    return;
  }
  new Notification(title, options);
}
