/** The age from which a resident may take part in an adults-only consultation. */
export const ADULT_AGE = 18;

/**
 * Whether someone born on `birthDate` (`YYYY-MM-DD`, from the document an agent checked) is at
 * least 18 on the calendar day of `now` (an ISO instant, read in UTC): on their 18th birthday they
 * are. Someone born on 29 February comes of age on 1 March in a common year.
 */
export function isAdultOn(birthDate: string, now: string): boolean {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const today = new Date(now);
  const comingOfAge = Date.UTC(year + ADULT_AGE, month - 1, day);
  return Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) >= comingOfAge;
}
