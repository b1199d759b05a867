import { describe, expect, it } from 'vitest';
import { fitToBudget, type EncodeSettings } from './budget.ts';

/** A model encoder: bytes grow with pixels and quality, like JPEG/WebP roughly do. */
function modelEncoder(bytesPerPixelAtFull: number) {
  const calls: EncodeSettings[] = [];
  const encode = async (settings: EncodeSettings) => {
    calls.push(settings);
    const bytes = Math.round(settings.width * settings.height * bytesPerPixelAtFull * settings.quality ** 2);
    return new Blob([new Uint8Array(bytes)]);
  };
  return { encode, calls };
}

describe('fitting a photo in the byte budget', () => {
  it('keeps a small photo as it is, at the first quality', async () => {
    const { encode, calls } = modelEncoder(0.2);
    const result = await fitToBudget({ width: 800, height: 600 }, encode);
    expect(result.settings).toEqual({ width: 800, height: 600, quality: 0.8 });
    expect(calls).toHaveLength(1);
  });

  it('brings a 12 MP phone photo to at most 1600 px on its longest side', async () => {
    const { encode, calls } = modelEncoder(0.05);
    const result = await fitToBudget({ width: 3000, height: 4000 }, encode);
    expect(calls[0]).toEqual({ width: 1200, height: 1600, quality: 0.8 });
    expect(result.blob.size).toBeLessThanOrEqual(200 * 1024);
    expect(Math.max(result.settings.width, result.settings.height)).toBeLessThanOrEqual(1600);
  });

  it('lowers the quality before the size when that is enough', async () => {
    const { encode } = modelEncoder(0.25);
    const result = await fitToBudget({ width: 1600, height: 1200 }, encode);
    expect(result.settings.width).toBe(1600);
    expect(result.settings.quality).toBeLessThan(0.8);
    expect(result.blob.size).toBeLessThanOrEqual(200 * 1024);
  });

  it('shrinks a photo full of detail until it fits, skipping hopeless qualities', async () => {
    const { encode, calls } = modelEncoder(2);
    const result = await fitToBudget({ width: 4000, height: 3000 }, encode);
    expect(result.blob.size).toBeLessThanOrEqual(200 * 1024);
    expect(result.settings.width).toBeLessThan(1600);
    // At 1600 px the first try is more than 3× over budget, so the other qualities are not tried.
    expect(calls.filter((c) => c.width === 1600)).toHaveLength(1);
  });

  it('gives up rather than produce a thumbnail nobody can read', async () => {
    const encode = async () => new Blob([new Uint8Array(300 * 1024)]);
    await expect(fitToBudget({ width: 1000, height: 1000 }, encode)).rejects.toThrow(RangeError);
  });
});
