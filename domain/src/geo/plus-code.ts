/**
 * Open Location Code ("plus code") encoding, after the published specification
 * (github.com/google/open-location-code/blob/main/docs/specification.md). Streets without names
 * still have a plus code, which agents can read out and type back.
 */

const alphabet = '23456789CFGHJMPQRVWX';
const separator = '+';
const separatorPosition = 8;
const padding = '0';
/** The first ten digits encode latitude/longitude pairs in base 20. */
const pairCodeLength = 10;
/** Digits after the tenth each split a cell into a 5-row by 4-column grid. */
const gridRows = 5;
const gridColumns = 4;
const gridCodeLength = 5;
const maxDigits = pairCodeLength + gridCodeLength;
/** Integer units per degree at full precision: 20^3 * 5^5 for latitude, 20^3 * 4^5 for longitude. */
const latPrecision = 8000 * gridRows ** gridCodeLength;
const lonPrecision = 8000 * gridColumns ** gridCodeLength;

/**
 * The plus code of a point. `length` counts significant digits: 2, 4, 6, 8, or 10 and above (max 15).
 * 10 digits (the default) is a cell of about 14 × 14 m, enough to find a pothole.
 */
export function encodePlusCode(lat: number, lon: number, length = 10): string {
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) throw new RangeError('A plus code needs a finite latitude and longitude');
  if (!Number.isInteger(length) || length < 2 || (length < pairCodeLength && length % 2 === 1)) {
    throw new RangeError(`Invalid plus code length ${length}: use 2, 4, 6, 8, or 10 and above`);
  }
  const digits = Math.min(length, maxDigits);

  // Work in integers so that no later division moves a point into the neighbouring cell; rounding to
  // 1e-6 first absorbs the binary error of decimal inputs (40.6 × 2.5e7 is 1014999999.9999999).
  const lonDegrees = lon >= -180 && lon < 180 ? lon : ((((lon + 180) % 360) + 360) % 360) - 180;
  const toUnits = (degrees: number, precision: number) => Math.floor(Math.round(degrees * precision * 1e6) / 1e6);
  // Latitude 90 and beyond falls in the topmost cell, so every code decodes back to the globe.
  let latValue = Math.min(Math.max(toUnits(lat + 90, latPrecision), 0), 180 * latPrecision - 1);
  let lonValue = Math.min(Math.max(toUnits(lonDegrees + 180, lonPrecision), 0), 360 * lonPrecision - 1);

  let code = '';
  if (digits > pairCodeLength) {
    for (let i = 0; i < gridCodeLength; i++) {
      code = alphabet[(latValue % gridRows) * gridColumns + (lonValue % gridColumns)]! + code;
      latValue = Math.floor(latValue / gridRows);
      lonValue = Math.floor(lonValue / gridColumns);
    }
  } else {
    latValue = Math.floor(latValue / gridRows ** gridCodeLength);
    lonValue = Math.floor(lonValue / gridColumns ** gridCodeLength);
  }
  for (let i = 0; i < pairCodeLength / 2; i++) {
    code = alphabet[lonValue % 20]! + code;
    code = alphabet[latValue % 20]! + code;
    latValue = Math.floor(latValue / 20);
    lonValue = Math.floor(lonValue / 20);
  }

  const full = code.slice(0, separatorPosition) + separator + code.slice(separatorPosition);
  if (digits >= separatorPosition) return full.slice(0, digits + 1);
  return code.slice(0, digits) + padding.repeat(separatorPosition - digits) + separator;
}
