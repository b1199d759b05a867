export { LiveUpdates, type LiveState } from './live.ts';
export { askNotificationPermission, notificationsAvailable, showSystemNotification } from './notify.ts';
export { followHistory } from './history.ts';
