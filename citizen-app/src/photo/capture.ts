import { Capacitor } from '@capacitor/core';

/** Loads the web camera modal of @ionic/pwa-elements once, only when a browser user wants a photo. */
let pwaElements: Promise<void> | null = null;
function ensurePwaElements(): Promise<void> {
  pwaElements ??= import('@ionic/pwa-elements/loader').then(({ defineCustomElements }) => defineCustomElements(window));
  return pwaElements;
}

async function blobFrom(webPath: string | undefined): Promise<Blob> {
  if (!webPath) throw new Error('The camera returned no picture');
  const response = await fetch(webPath);
  return response.blob();
}

/** The device camera: native on Android/iOS, the pwa-elements modal (or a file input) in a browser. */
export async function takePhoto(): Promise<Blob> {
  const { Camera } = await import('@capacitor/camera');
  if (!Capacitor.isNativePlatform()) await ensurePwaElements();
  // Native cameras can resize before handing over: less memory on a cheap phone.
  const result = await Camera.takePhoto({ quality: 85, targetWidth: 1600, targetHeight: 1600, correctOrientation: true });
  return blobFrom(result.webPath);
}

export async function chooseFromGallery(): Promise<Blob> {
  const { Camera } = await import('@capacitor/camera');
  const { results } = await Camera.chooseFromGallery({ quality: 85, targetWidth: 1600, targetHeight: 1600, correctOrientation: true });
  return blobFrom(results[0]?.webPath);
}

/** Cancelling the camera is not an error worth showing. */
export function isCancellation(error: unknown): boolean {
  return error instanceof Error && /cancel/i.test(error.message);
}
