/**
 * On 2G every byte fetched before the first screen delays it. The first screen is usable as soon as
 * the category tiles can be tapped: drawn by the waiting screen before the app's code arrives, or
 * by the app itself (a link into another screen, or no categories known yet). Work the app does
 * not need at once (the offline cache, the map's code, live updates) waits until the app's own
 * screen is shown and the phone is idle, so it never competes with the app's code for the link.
 */
const waiting: (() => void)[] = [];
const appShownListeners: (() => void)[] = [];
let marked = false;
let appIsShown = false;
let released = false;

/** The mark tests and the bench read: the first screen can be used from here on. */
export const firstScreenMark = 'palabre:first-screen';

/**
 * A screen a person can use is in the page (the waiting screen's tiles, or the app's first screen).
 * It shows at the first paint after the mark: the bench and the tests take the later of the two.
 */
export function firstScreenShown(): void {
  if (marked) return;
  marked = true;
  performance.mark(firstScreenMark);
}

/**
 * Runs `then` once what is in the page now has been painted (the frame after the next one starts).
 * A hidden page paints nothing: a timeout stands in so nothing waits forever.
 */
export function afterNextPaint(then: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    then();
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 250);
}

/** Called by the app's screens once a person can use them. */
export function appShown(): void {
  firstScreenShown();
  if (appIsShown) return;
  appIsShown = true;
  for (const listener of appShownListeners.splice(0)) listener();
  whenLoadedAndIdle(release);
}

export function hasAppShown(): boolean {
  return appIsShown;
}

/** Runs `listener` once the app's own first screen shows (at once if it has). */
export function onAppShown(listener: () => void): void {
  if (appIsShown) listener();
  else appShownListeners.push(listener);
}

/** Runs `task` after the app's first screen, when the page has loaded and the main thread is idle. */
export function afterAppShown(task: () => void): void {
  if (released) task();
  else waiting.push(task);
}

// A screen that never reports (an error page, a route without one) must not hold the rest back forever.
setTimeout(appShown, 20_000);

function release(): void {
  released = true;
  for (const task of waiting.splice(0)) task();
}

function whenLoadedAndIdle(then: () => void): void {
  const idle = () => ('requestIdleCallback' in window ? requestIdleCallback(() => then(), { timeout: 3_000 }) : setTimeout(then, 500));
  if (document.readyState === 'complete') idle();
  else window.addEventListener('load', idle, { once: true });
}
