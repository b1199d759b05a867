/** Window size and position remembered between launches (userData/window-state.json). */
export interface WindowState {
  readonly width: number;
  readonly height: number;
  readonly x?: number;
  readonly y?: number;
  readonly maximized: boolean;
}

export interface Area {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The console is designed for 1366×768 and up; smaller screens still get a usable window. */
export const defaultWindowState: WindowState = { width: 1366, height: 768, maximized: false };
export const minimumWindowSize = { width: 1024, height: 640 } as const;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Reads a saved state leniently (a corrupt file must never stop the app starting) and keeps the
 * window on a screen that still exists: a laptop unplugged from its monitor loses the far-right window.
 */
export function restoreWindowState(saved: unknown, screens: readonly Area[]): WindowState {
  if (typeof saved !== 'object' || saved === null) return defaultWindowState;
  const s = saved as Record<string, unknown>;
  if (!finite(s.width) || !finite(s.height)) return defaultWindowState;
  const width = Math.round(Math.max(minimumWindowSize.width, Math.min(s.width, 10_000)));
  const height = Math.round(Math.max(minimumWindowSize.height, Math.min(s.height, 10_000)));
  const maximized = s.maximized === true;
  if (!finite(s.x) || !finite(s.y)) return { width, height, maximized };
  const x = Math.round(s.x);
  const y = Math.round(s.y);
  // Visible enough: the title bar's first 100 px lie on some screen.
  const onScreen = screens.some((a) => x + 100 > a.x && x < a.x + a.width && y >= a.y && y < a.y + a.height - 40);
  return onScreen ? { width, height, x, y, maximized } : { width, height, maximized };
}
