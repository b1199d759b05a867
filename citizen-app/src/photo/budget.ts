/** What one encoding try produces: the browser part supplies it, the search below is pure. */
export interface EncodeSettings {
  width: number;
  height: number;
  quality: number;
}

export interface PhotoBudget {
  maxBytes: number;
  maxSide: number;
}

/** 200 KB goes out in about 30 s at 2G upload speeds; 1600 px is what the API keeps anyway. */
export const photoBudget: PhotoBudget = { maxBytes: 200 * 1024, maxSide: 1600 };

const qualities = [0.8, 0.68, 0.56, 0.45];
const shrink = 0.75;
const smallestSide = 240;

export interface BudgetResult {
  blob: Blob;
  settings: EncodeSettings;
  tries: number;
}

/**
 * Finds the best-looking encoding under the byte budget: the largest size (at most maxSide),
 * then the highest quality that fits; when no quality fits, shrinks by a quarter and tries again.
 */
export async function fitToBudget(
  source: { width: number; height: number },
  encode: (settings: EncodeSettings) => Promise<Blob>,
  budget: PhotoBudget = photoBudget,
): Promise<BudgetResult> {
  if (source.width <= 0 || source.height <= 0) throw new RangeError('The photo has no pixels');
  let scale = Math.min(1, budget.maxSide / Math.max(source.width, source.height));
  let tries = 0;
  for (;;) {
    const width = Math.max(1, Math.round(source.width * scale));
    const height = Math.max(1, Math.round(source.height * scale));
    const last = Math.max(width, height) * shrink < smallestSide;
    for (const quality of qualities) {
      const settings = { width, height, quality };
      const blob = await encode(settings);
      tries++;
      if (blob.size <= budget.maxBytes) return { blob, settings, tries };
      // Far over budget: lower quality will not save it, a smaller size will.
      if (!last && blob.size > budget.maxBytes * 3) break;
    }
    if (last) throw new RangeError(`The photo cannot be made smaller than ${budget.maxBytes} bytes`);
    scale *= shrink;
  }
}
