export { LiveUpdates, type LiveState, type ParticipationKind } from './live.ts';
export { askNotificationPermission, notificationsAvailable, showNotification, showSystemNotification } from './notify.ts';
export { followHistory } from './history.ts';
