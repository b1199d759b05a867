import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { gpsOf } from './gps.js';
import { jpegWithGps, solidImage } from './testing/images.js';

describe('where a photo was taken', () => {
  it('is read from the EXIF GPS tags a phone writes', async () => {
    // 3° 52′ N, 11° 31′ E: Yaoundé, as the fixture's phone wrote it.
    const point = await gpsOf(await jpegWithGps(800, 600));
    expect(point!.lat).toBeCloseTo(3 + 52 / 60, 6);
    expect(point!.lon).toBeCloseTo(11 + 31 / 60, 6);
  });

  it('is south and west when the references say so', async () => {
    const photo = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#888' } })
      .jpeg()
      .withExif({ IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '4/1 19/1 30/1', GPSLongitudeRef: 'W', GPSLongitude: '15/1 18/1 0/1' } })
      .toBuffer();
    const point = await gpsOf(photo);
    expect(point!.lat).toBeCloseTo(-(4 + 19 / 60 + 30 / 3600), 6);
    expect(point!.lon).toBeCloseTo(-(15 + 18 / 60), 6);
  });

  it('is null for a photo without GPS, and for bytes that are no photo', async () => {
    expect(await gpsOf(await solidImage(20, 20, 'png'))).toBeNull();
    expect(await gpsOf(new Uint8Array([1, 2, 3]))).toBeNull();
  });
});
