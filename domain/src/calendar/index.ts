export type { CalendarDay } from './calendar-day.js';
export * from './holidays.js';
export * from './working-days.js';
