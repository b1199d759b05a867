import { fitToBudget, photoBudget, type EncodeSettings, type PhotoBudget } from './budget.ts';

export interface CompressedPhoto {
  blob: Blob;
  width: number;
  height: number;
  originalBytes: number;
}

/**
 * Resizes and re-encodes a photo on the phone (WebP where the browser can write it, else JPEG).
 * Re-encoding through a canvas also drops EXIF, so the GPS tags of the original never leave the phone.
 */
export async function compressPhoto(input: Blob, budget: PhotoBudget = photoBudget): Promise<CompressedPhoto> {
  const bitmap = await createImageBitmap(input, { imageOrientation: 'from-image' });
  try {
    let type: 'image/webp' | 'image/jpeg' = 'image/webp';
    const encode = async (settings: EncodeSettings): Promise<Blob> => {
      let blob = await draw(bitmap, settings, type);
      // Safari before 17 silently writes PNG when asked for WebP.
      if (blob.type !== type) {
        type = 'image/jpeg';
        blob = await draw(bitmap, settings, type);
      }
      return blob;
    };
    const { blob, settings } = await fitToBudget({ width: bitmap.width, height: bitmap.height }, encode, budget);
    return { blob, width: settings.width, height: settings.height, originalBytes: input.size };
  } finally {
    bitmap.close();
  }
}

async function draw(bitmap: ImageBitmap, { width, height, quality }: EncodeSettings, type: string): Promise<Blob> {
  if (typeof OffscreenCanvas === 'function') {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('No 2D canvas on this device');
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type, quality });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('No 2D canvas on this device');
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The photo could not be encoded'))), type, quality));
}
