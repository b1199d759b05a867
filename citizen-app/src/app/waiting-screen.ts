import type { CategoryRef } from '../api/types.ts';
import { translate } from '../i18n/format.ts';
import type { Language, MessageKey } from '../i18n/messages.ts';
import { categoriesKey, readCached, writeCached } from '../reference/cache.ts';
import { categoryIcon } from '../reference/icons.ts';
import { afterNextPaint, firstScreenShown, hasAppShown, onAppShown } from './first-screen.ts';

/**
 * The first screen while the app's code is on its way. On 2G that code takes seconds; the category
 * tiles need only this small file and the categories (cached on the phone, or the API's 2 KB answer).
 * A tile tapped here is kept and handed to the app, which goes straight on to the photo step. Plain
 * DOM, no framework: it must run before one has arrived. The app removes it when its own screen shows.
 */
type TakeChoice = (category: string) => void;

let element: HTMLElement | null = null;
let chosen: string | null = null;
let taker: TakeChoice | null = null;

/**
 * Shows the waiting screen when the app opens on the report's first step (elsewhere the app alone
 * draws). Resolves once it is painted, or at once when it will not show: the app's code, which keeps
 * the main thread busy while it starts, is run only then.
 */
export async function showWaitingScreen(language: Language, apiOrigin: string): Promise<void> {
  const base = import.meta.env.BASE_URL;
  if (location.pathname !== base && location.pathname !== `${base}report`) return;
  // On a first visit the categories' preload has usually arrived before this file has.
  const categories = readCached<CategoryRef[]>(categoriesKey) ?? (await fetchCategories(apiOrigin));
  if (!categories || categories.length === 0 || hasAppShown()) return;
  draw(language, categories);
  await new Promise<void>((resolve) => afterNextPaint(resolve));
}

/**
 * The app takes over: a tile tapped before it ran, or tapped until its own screen shows, goes to
 * `take`. Returns the function that stops it (the caller unmounting).
 */
export function takeOverWaitingScreen(take: TakeChoice): () => void {
  taker = take;
  if (chosen) {
    const category = chosen;
    chosen = null;
    take(category);
  }
  return () => {
    if (taker === take) taker = null;
  };
}

async function fetchCategories(apiOrigin: string): Promise<CategoryRef[] | null> {
  try {
    // The same request as the page's <link rel="preload">: it is answered by that download, not a second one.
    const response = await fetch(`${apiOrigin}/api/categories`);
    if (!response.ok) return null;
    const categories = (await response.json()) as CategoryRef[];
    // The app starts from the same list, without asking again before it shows.
    writeCached(categoriesKey, categories);
    return categories;
  } catch {
    // No network and nothing cached: the app shows the category step with its retry button.
    return null;
  }
}

function draw(language: Language, categories: CategoryRef[]): void {
  const t = (key: MessageKey, params?: Record<string, number>) => translate(language, key, params);
  const other: Language = language === 'fr' ? 'en' : 'fr';

  const status = node('p', 'waiting-screen__status');
  status.setAttribute('role', 'status');
  const grid = node('div', 'category-grid');
  for (const category of categories) {
    const tile = node('button', 'category-tile');
    tile.setAttribute('type', 'button');
    tile.setAttribute('aria-pressed', 'false');
    tile.dataset.waitingCategory = category.id;
    const icon = node('span', 'waiting-screen__icon');
    icon.setAttribute('aria-hidden', 'true');
    icon.style.setProperty('mask-image', `url("${categoryIcon(category.icon).replace(/"/g, "'").replace(/#/g, '%23')}")`);
    const label = node('span', 'category-label', category.labels[language]);
    const otherLabel = node('span', 'category-label-other', category.labels[other]);
    otherLabel.lang = other;
    tile.append(icon, label, otherLabel);
    tile.addEventListener('click', () => {
      for (const each of grid.children) each.setAttribute('aria-pressed', String(each === tile));
      status.textContent = t('app.opening');
      choose(category.id);
    });
    grid.append(tile);
  }

  const screen = node('div', 'waiting-screen');
  screen.append(
    node('div', 'waiting-screen__bar', t('tabs.report')),
    node('main', 'waiting-screen__content', [node('p', 'step', t('report.step', { n: 1 })), node('h1', 'screen-title', t('report.category.title')), node('p', 'hint', t('report.category.hint')), grid, status]),
  );
  // Until the app's screen replaces it, assistive technology reads this screen only.
  const root = document.getElementById('root');
  root?.setAttribute('aria-hidden', 'true');
  document.body.append(screen);
  element = screen;
  firstScreenShown();
  onAppShown(() => {
    root?.removeAttribute('aria-hidden');
    element?.remove();
    element = null;
    taker = null;
  });
}

function choose(category: string): void {
  if (taker) taker(category);
  else chosen = category;
}

function node(tag: string, className: string, content?: string | Node[]): HTMLElement {
  const created = document.createElement(tag);
  created.className = className;
  if (typeof content === 'string') created.textContent = content;
  else if (content) created.append(...content);
  return created;
}
