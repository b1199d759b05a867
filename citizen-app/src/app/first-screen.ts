/**
 * On 2G every byte fetched before the first screen delays it: work that screen does not need (the
 * offline cache, the map's code, live updates) waits until it is shown and the phone is idle.
 */
const waiting: (() => void)[] = [];
let shown = false;
let released = false;

/** The mark tests and the bench read: the first screen can be used from here on. */
export const firstScreenMark = 'palabre:first-screen';

/** Called by the screen the app opened on, once a person can use it. */
export function firstScreenShown(): void {
  if (shown) return;
  shown = true;
  performance.mark(firstScreenMark);
  whenLoadedAndIdle(release);
}

/** Runs `task` after the first screen, when the page has loaded and the main thread is idle. */
export function afterFirstScreen(task: () => void): void {
  if (released) task();
  else waiting.push(task);
}

// A screen that never reports (an error page, a route without one) must not hold the rest back forever.
setTimeout(firstScreenShown, 20_000);

function release(): void {
  released = true;
  for (const task of waiting.splice(0)) task();
}

function whenLoadedAndIdle(then: () => void): void {
  const idle = () => ('requestIdleCallback' in window ? requestIdleCallback(() => then(), { timeout: 3_000 }) : setTimeout(then, 500));
  if (document.readyState === 'complete') idle();
  else window.addEventListener('load', idle, { once: true });
}
