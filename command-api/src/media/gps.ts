import sharp from 'sharp';

const GPS_IFD_POINTER = 0x8825;
const ASCII = 2;
const RATIONAL = 5;

/**
 * Where a photo was taken, from its EXIF GPS tags, read before the media library strips them; null
 * when the photo says nothing (or nothing readable). Kept only where it is evidence: a field
 * agent's photo of a project's milestone, never a resident's photo of their street.
 */
export async function gpsOf(upload: Uint8Array): Promise<{ lat: number; lon: number } | null> {
  try {
    const { exif } = await sharp(upload).metadata();
    return exif ? gpsFromExif(exif) : null;
  } catch {
    return null;
  }
}

/** The GPS directory of an EXIF block (TIFF layout, either byte order). */
export function gpsFromExif(exif: Buffer): { lat: number; lon: number } | null {
  const tiff = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
  if (tiff.length < 8) return null;
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const entries = (ifd: number) => Array.from({ length: u16(ifd) }, (_, i) => ifd + 2 + i * 12);
  const ifd0 = u32(4);
  const pointer = entries(ifd0).find((at) => u16(at) === GPS_IFD_POINTER);
  if (pointer === undefined) return null;
  const tags = new Map(entries(u32(pointer + 8)).map((at) => [u16(at), at]));
  const ref = (tag: number) => {
    const at = tags.get(tag);
    return at !== undefined && u16(at + 2) === ASCII ? tiff.toString('latin1', at + 8, at + 9) : null;
  };
  const degrees = (tag: number) => {
    const at = tags.get(tag);
    if (at === undefined || u16(at + 2) !== RATIONAL || u32(at + 4) !== 3) return null;
    const values = u32(at + 8);
    const [d, m, s] = [0, 1, 2].map((i) => u32(values + i * 8) / u32(values + i * 8 + 4)) as [number, number, number];
    return d + m / 60 + s / 3600;
  };
  const lat = degrees(2);
  const lon = degrees(4);
  if (lat === null || lon === null || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  const point = { lat: ref(1) === 'S' ? -lat : lat, lon: ref(3) === 'W' ? -lon : lon };
  return Math.abs(point.lat) <= 90 && Math.abs(point.lon) <= 180 ? point : null;
}
