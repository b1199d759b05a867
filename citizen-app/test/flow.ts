import type { Page } from 'playwright-core';
import { screenshot } from './support.ts';

/** The visible screen (Ionic keeps earlier pages of the stack hidden in the DOM). */
export const screen = (page: Page) => page.locator('.ion-page:not(.ion-page-hidden)');

/**
 * What on the visible screen falls below the app's floor: touch targets under 44 px (the map's own
 * controls aside) and images neither described nor marked decorative.
 */
export async function accessibilityProblems(page: Page): Promise<{ small: string[]; undescribed: string[] }> {
  const small = await page.evaluate(() => {
    const visible = document.querySelector('.ion-page:not(.ion-page-hidden)')!;
    const targets = [...visible.querySelectorAll('button, a[href], ion-button, ion-back-button, label.switch, .field input, .field textarea, summary, ion-item[detail]'), ...document.querySelectorAll('ion-tab-button')];
    return targets
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .filter(({ element, box }) => box.width > 0 && box.height > 0 && !element.closest('[hidden]') && !element.parentElement?.closest('ion-button, label.switch, .palabre-map'))
      .filter(({ box }) => box.width < 44 || box.height < 44)
      .map(({ element, box }) => `${element.tagName.toLowerCase()} "${(element.textContent ?? '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
  });
  const undescribed = await page.evaluate(() => [...document.querySelectorAll('img')].filter((img) => !img.hasAttribute('alt')).map((img) => img.src));
  return { small, undescribed };
}

export interface ReportInput {
  category: string;
  subcategory?: string;
  description: string;
  landmark?: string;
  photo?: string;
  /** Prefix for screenshots of each step; none when omitted. */
  shots?: string;
  /** Called just before the photo is chosen and just before "send" is tapped (for timings). */
  onPhoto?: () => void;
  onSend?: () => void;
}

/** Files a report through the four screens as a person would: tap, photo, position, words, send. */
export async function fileReport(page: Page, input: ReportInput): Promise<{ photoBytes: number | null; photoReadyAt: number | null }> {
  await page.goto(new URL('/app/report', page.url()).toString());
  const categories = screen(page).locator('.category-tile');
  await categories.first().waitFor();
  if (input.shots) await screenshot(page, `${input.shots}-1-category`);
  await screen(page).locator(`[data-category="${input.category}"]`).click();

  await screen(page).getByText('Étape 2 sur 4').waitFor();
  let photoBytes: number | null = null;
  let photoReadyAt: number | null = null;
  if (input.photo) {
    const chooser = page.waitForEvent('filechooser');
    await screen(page).getByText('Choisir dans la galerie').click();
    input.onPhoto?.();
    await (await chooser).setFiles(input.photo);
    const size = screen(page).locator('[data-testid="photo-size"]');
    await size.waitFor({ timeout: 30_000 });
    photoBytes = Number(await size.getAttribute('data-bytes'));
    photoReadyAt = performance.now();
  }
  if (input.shots) await screenshot(page, `${input.shots}-2-photo`);
  await screen(page).locator('[data-testid="photo-next"]').click();

  await screen(page).getByText('Étape 3 sur 4').waitFor();
  await screen(page).locator('[data-testid="plus-code"]').waitFor();
  if (input.landmark) await screen(page).locator('[data-testid="landmark"] input').fill(input.landmark);
  if (input.shots) await screenshot(page, `${input.shots}-3-position`);
  await screen(page).locator('[data-testid="position-next"]').click();

  await screen(page).getByText('Étape 4 sur 4').waitFor();
  if (input.subcategory) await screen(page).locator(`[data-subcategory="${input.subcategory}"]`).click();
  await screen(page).locator('[data-testid="description"] textarea').fill(input.description);
  if (input.shots) await screenshot(page, `${input.shots}-4-details`);
  input.onSend?.();
  await screen(page).locator('[data-testid="send"]').click();
  await page.waitForURL(/\/app\/reports$/);
  return { photoBytes, photoReadyAt };
}
