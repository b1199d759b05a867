import { describe, expect, it } from 'vitest';
import { easterSunday, expectedIslamicDates } from './holidays.js';
import { addWorkingDays, holidaysOfYear, isWorkingDay, workCalendar, workingDaysBetween } from './working-days.js';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return 'no error';
};

describe('easterSunday', () => {
  it('gives the Gregorian Easter of known years', () => {
    expect(['2024', '2025', '2026', '2027', '2028', '2038', '2285'].map((y) => easterSunday(Number(y)))).toEqual([
      '2024-03-31',
      '2025-04-20',
      '2026-04-05',
      '2027-03-28',
      '2028-04-16',
      '2038-04-25',
      '2285-03-22',
    ]);
  });
});

describe('the holidays of 2026', () => {
  it('Cameroon: loi 73/5, Good Friday and Ascension, the two Eids on their expected dates', () => {
    expect(holidaysOfYear(workCalendar('CM'), 2026)).toEqual([
      '2026-01-01', '2026-02-11', '2026-03-20', '2026-04-03', '2026-05-01', '2026-05-14', '2026-05-20', '2026-05-27', '2026-08-15', '2026-12-25',
    ]);
  });

  it('Togo: Easter Monday, Ascension, Whit Monday, no 13 January', () => {
    expect(holidaysOfYear(workCalendar('TG'), 2026)).toEqual([
      '2026-01-01', '2026-03-20', '2026-04-06', '2026-04-27', '2026-05-01', '2026-05-14', '2026-05-25', '2026-05-27', '2026-06-21', '2026-08-15', '2026-11-01', '2026-12-25',
    ]);
  });

  it('DR Congo: the ten days of ordonnance 23/042, none religious but Christmas', () => {
    expect(holidaysOfYear(workCalendar('CD'), 2026)).toEqual([
      '2026-01-01', '2026-01-04', '2026-01-16', '2026-01-17', '2026-04-06', '2026-05-01', '2026-05-17', '2026-06-30', '2026-08-01', '2026-12-25',
    ]);
  });

  it('Côte d’Ivoire: décret 96-205, with the day after the Nuit du Destin and the Maouloud', () => {
    expect(holidaysOfYear(workCalendar('CI'), 2026)).toEqual([
      '2026-01-01', '2026-03-16', '2026-03-20', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-25', '2026-05-27', '2026-08-07', '2026-08-15', '2026-08-25', '2026-11-01', '2026-11-15', '2026-12-25',
    ]);
  });

  it('names each day and marks the Islamic ones as expected dates', () => {
    const eid = workCalendar('CM').holidaysOf(2026).find((h) => h.date === '2026-05-27');
    expect(eid?.name).toMatch(/Mouton.*date attendue/);
  });

  it('has expected Islamic dates for 2025 to 2028 only', () => {
    expect(Object.keys(expectedIslamicDates)).toEqual(['2025', '2026', '2027', '2028']);
    expect(holidaysOfYear(workCalendar('CM'), 2029)).not.toContain('2029-02-14');
  });
});

describe('a holiday on a Sunday', () => {
  it('gives Monday off in Cameroon for a civil feast (New Year 2023)', () => {
    expect(holidaysOfYear(workCalendar('CM'), 2023).slice(0, 2)).toEqual(['2023-01-01', '2023-01-02']);
  });

  it('gives Monday off in Côte d’Ivoire for the national day and Labour Day only', () => {
    expect(holidaysOfYear(workCalendar('CI'), 2027)).not.toContain('2027-08-09'); // 7 August 2027 is a Saturday: nothing
    expect(holidaysOfYear(workCalendar('CI'), 2022)).toEqual(expect.arrayContaining(['2022-05-02', '2022-08-08']));
    expect(holidaysOfYear(workCalendar('CI'), 2026)).not.toContain('2026-11-02'); // All Saints on a Sunday: no rule
  });

  it('moves nothing in Togo or DR Congo, where each year’s communiqué decides', () => {
    expect(holidaysOfYear(workCalendar('TG'), 2026)).not.toContain('2026-06-22');
    expect(holidaysOfYear(workCalendar('CD'), 2026)).not.toContain('2026-01-05');
  });
});

describe('isWorkingDay', () => {
  const cm = workCalendar('CM');
  it('is false on weekends and holidays, true otherwise', () => {
    expect(isWorkingDay(cm, '2026-05-20')).toBe(false); // national day, a Wednesday
    expect(isWorkingDay(cm, '2026-05-23')).toBe(false); // Saturday
    expect(isWorkingDay(cm, '2026-05-21')).toBe(true);
    expect(isWorkingDay(workCalendar('CI'), '2026-04-06')).toBe(false); // Easter Monday in CI
    expect(isWorkingDay(cm, '2026-04-06')).toBe(true); // not a holiday in Cameroon
  });
});

describe('addWorkingDays', () => {
  const cm = workCalendar('CM');

  it('counts 5 working days over Christmas and New Year, due at the end of the local day', () => {
    // Wed 23 Dec 2026, Yaoundé: 24, (25 Christmas), 28, 29, 30, 31.
    expect(addWorkingDays(cm, '2026-12-23T10:00:00+01:00', 5)).toBe('2026-12-31T22:59:59.999Z');
  });

  it('counts 30 working days over New Year', () => {
    expect(addWorkingDays(cm, '2026-12-23T10:00:00+01:00', 30)).toBe('2027-02-05T22:59:59.999Z');
  });

  it('skips Good Friday in Cameroon and Easter Monday in Togo', () => {
    // Received Wed 1 April 2026: 2, (3 Good Friday), 6, 7, 8, 9 in CM; 2, 3, (6 Easter Monday), 7, 8, 9 in TG.
    expect(addWorkingDays(cm, '2026-04-01T09:00:00+01:00', 5)).toBe('2026-04-09T22:59:59.999Z');
    expect(addWorkingDays(workCalendar('TG'), '2026-04-01T09:00:00Z', 5)).toBe('2026-04-09T23:59:59.999Z');
    // 30 working days from the same day in CI cross Easter Monday, Labour Day, Ascension.
    expect(addWorkingDays(workCalendar('CI'), '2026-04-01T09:00:00Z', 30)).toBe('2026-05-18T23:59:59.999Z');
  });

  it('takes the local day: 23:30 UTC on a Friday is already Saturday in Douala', () => {
    expect(addWorkingDays(cm, '2026-03-06T23:30:00Z', 1)).toBe('2026-03-09T22:59:59.999Z');
    expect(addWorkingDays(workCalendar('CI'), '2026-03-06T23:30:00Z', 1)).toBe('2026-03-09T23:59:59.999Z');
  });

  it('takes an offset from the call, for eastern DR Congo', () => {
    const lubumbashi = workCalendar('CD', { timeZone: 'Africa/Lubumbashi', utcOffsetMinutes: 120 });
    expect(addWorkingDays(lubumbashi, '2026-06-29T08:00:00+02:00', 1)).toBe('2026-07-01T21:59:59.999Z');
    expect(addWorkingDays(workCalendar('CD'), '2026-06-29T08:00:00+02:00', 1, 120)).toBe('2026-07-01T21:59:59.999Z');
  });

  it('with 0 working days, is the end of the day of receipt', () => {
    expect(addWorkingDays(cm, '2026-03-02T09:00:00+01:00', 0)).toBe('2026-03-02T22:59:59.999Z');
  });

  it('refuses a negative or fractional number of days, and an instant without a zone', () => {
    expect(codeOf(() => addWorkingDays(cm, '2026-03-02T09:00:00+01:00', -1))).toBe('calendar.invalid_working_days');
    expect(codeOf(() => addWorkingDays(cm, '2026-03-02T09:00:00+01:00', 2.5))).toBe('calendar.invalid_working_days');
    expect(codeOf(() => addWorkingDays(cm, '2026-03-02T09:00:00', 5))).toBe('calendar.invalid_instant');
    expect(codeOf(() => addWorkingDays(cm, 'yesterday', 5))).toBe('calendar.invalid_instant');
    expect(codeOf(() => addWorkingDays(cm, '2026-03-02T09:00:00Z', 5, 90.5))).toBe('calendar.invalid_offset');
  });
});

describe('workingDaysBetween', () => {
  const cm = workCalendar('CM');

  it('is 0 the same day, 1 the next working day, and skips weekends and holidays', () => {
    expect(workingDaysBetween(cm, '2026-03-02T09:00:00+01:00', '2026-03-02T17:00:00+01:00')).toBe(0);
    expect(workingDaysBetween(cm, '2026-03-06T16:00:00+01:00', '2026-03-09T08:00:00+01:00')).toBe(1);
    expect(workingDaysBetween(cm, '2026-12-23T10:00:00+01:00', '2027-01-05T10:00:00+01:00')).toBe(7);
  });

  it('agrees with addWorkingDays: a reply meets an n-day deadline exactly when it is at most n', () => {
    const from = '2026-12-23T10:00:00+01:00';
    const due = addWorkingDays(cm, from, 5);
    expect(workingDaysBetween(cm, from, due)).toBe(5);
    expect(workingDaysBetween(cm, from, new Date(Date.parse(due) + 1).toISOString())).toBe(5); // 1 Jan 2027 is off
    expect(workingDaysBetween(cm, from, addWorkingDays(cm, from, 6))).toBe(6);
  });

  it('refuses an end before its start', () => {
    expect(codeOf(() => workingDaysBetween(cm, '2026-03-02T09:00:00Z', '2026-03-01T09:00:00Z'))).toBe('calendar.invalid_range');
  });
});

describe('overrides', () => {
  it('add the days a government declares and remove the expected feast days it moves', () => {
    // Eid al-Fitr announced for Saturday 21 March instead of the expected Friday 20, and a bridge on Friday 2 January.
    const togo = workCalendar('TG', {
      overrides: {
        add: [
          { date: '2026-01-02', name: 'Lendemain du Nouvel an (communiqué du 31 décembre 2025)' },
          { date: '2026-03-21', name: 'Fête de fin du Ramadan (annoncée)' },
        ],
        remove: ['2026-03-20'],
      },
    });
    expect(holidaysOfYear(togo, 2026).slice(0, 3)).toEqual(['2026-01-01', '2026-01-02', '2026-03-21']);
    expect(isWorkingDay(togo, '2026-03-20')).toBe(true);
    expect(addWorkingDays(togo, '2025-12-31T10:00:00Z', 1)).toBe('2026-01-05T23:59:59.999Z');
    expect(holidaysOfYear(togo, 2027)).not.toContain('2027-01-02');
  });

  it('carry the DR Congo ministry’s moves off the weekend (January 2026)', () => {
    const kinshasa = workCalendar('CD', { overrides: { add: [{ date: '2026-01-05', name: 'Martyrs (reporté)' }, { date: '2026-01-19', name: 'Lumumba (reporté)' }] } });
    expect(addWorkingDays(kinshasa, '2026-01-02T10:00:00+01:00', 5)).toBe('2026-01-12T22:59:59.999Z');
  });

  it('refuse a malformed day', () => {
    expect(codeOf(() => workCalendar('CI', { overrides: { remove: ['2026-02-30'] } }))).toBe('calendar.invalid_day');
    expect(codeOf(() => workCalendar('CI', { overrides: { add: [{ date: '20/03/2026', name: 'x' }] } }))).toBe('calendar.invalid_day');
  });
});

describe('workCalendar', () => {
  it('refuses a country it has no calendar for', () => {
    expect(codeOf(() => workCalendar('SN'))).toBe('calendar.unknown_country');
    expect(() => workCalendar('cm')).toThrow(/known: CM, TG, CD, CI/);
  });

  it('refuses a week without working days', () => {
    expect(codeOf(() => workCalendar('CM', { weekendDays: [0, 1, 2, 3, 4, 5, 6] }))).toBe('calendar.invalid_weekend');
  });

  it('refuses a malformed day', () => {
    expect(codeOf(() => isWorkingDay(workCalendar('CM'), '2026-13-01'))).toBe('calendar.invalid_day');
  });
});
