/** A citizen id as the app shows it (and its QR code holds it): C and 26 letters and digits, as the API checks it. */
const citizenId = /^C[0-9A-Z]{26}$/;

/** The citizen id a scanned code holds, or null for any other QR code held up to the camera. */
export function citizenCodeIn(scanned: string): string | null {
  const code = scanned.trim().toUpperCase();
  return citizenId.test(code) ? code : null;
}
