import { themeQuartz } from 'ag-grid-community';

/** The console's ag-grid look, shared by every grid (tickets, proposals): dense rows for 1366×768. */
export const gridTheme = themeQuartz.withParams({ fontSize: 13, rowHeight: 30, headerHeight: 32, spacing: 5, wrapperBorderRadius: 4 });

/** Text for ag-grid's HTML templates (overlays), escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
