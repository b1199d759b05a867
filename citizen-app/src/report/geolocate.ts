import { Geolocation } from '@capacitor/geolocation';
import type { Position } from './draft.tsx';

/** One fix from the GPS (or the browser), accepting a recent one: a cold GPS on a cheap phone is slow. */
export async function currentPosition(): Promise<Position> {
  const fix = await Geolocation.getCurrentPosition({ enableHighAccuracy: true, timeout: 20_000, maximumAge: 30_000 });
  return { lat: fix.coords.latitude, lon: fix.coords.longitude, accuracy: fix.coords.accuracy };
}
