import { addDays, dayNumber, onDay, weekdayOf, type CalendarDay } from './calendar-day.js';

/*
 * Public holidays of the four countries where Palabre runs World Bank grievance mechanisms.
 *
 * What is here is what the texts in force say, checked in 2026 against the texts quoted in the
 * national press; what a government decides each year (bridges, moves off a weekend, the exact
 * day of an Islamic feast) is configuration: `HolidayOverrides` in working-days.ts.
 *
 * Known doubts, kept here so nobody mistakes this table for an official gazette:
 * - Islamic feasts: the dates in `expectedIslamicDates` are the Umm al-Qura calendar's; the feast is
 *   fixed each year by moon sighting and announced days before (often one day later in West and
 *   Central Africa). A deployment confirms or corrects them by override.
 * - CI, "lendemain du Maouloud": taken as the civil day 12 Rabi' al-Awwal (the celebration is the night
 *   before it, as for the Nuit du Destin, whose day after is 27 Ramadan); some lists give the day after that.
 * - CM: the Sunday rule of loi 73/5 art. 2 (a civil feast on a Sunday or another holiday makes the
 *   next day a holiday) is taken as still in force after loi 76/8, which rewrote the religious rules.
 * - TG: 13 January (Fête de la Libération) is left out: it has been an ordinary working day since 2014,
 *   although many holiday sites still list it. Mawlid and 24 September are left out as well (not found
 *   in any official source). Togo often adds a day after a weekend holiday, but by ad hoc decision.
 * - CD: ordonnance 23/042 says a holiday on a Sunday is taken the day before, yet the ministry has
 *   moved weekend holidays to the Friday (2025) or to the Monday (January 2026) by communiqué: no
 *   weekend rule is modelled; each year's communiqué is an override.
 */

export type CountryCode = 'CM' | 'TG' | 'CD' | 'CI';

export interface Holiday {
  readonly date: CalendarDay;
  readonly name: string;
}

/**
 * Easter Sunday in the Gregorian calendar: the anonymous computus (Meeus, "Astronomical
 * Algorithms", after the 1876 Nature letter), exact for every Gregorian year.
 */
export function easterSunday(year: number): CalendarDay {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return onDay(year, `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

/** The movable Christian feasts, as days after Easter Sunday. */
const fromEaster = {
  goodFriday: { days: -2, name: 'Vendredi saint' },
  easterMonday: { days: 1, name: 'Lundi de Pâques' },
  ascension: { days: 39, name: 'Ascension' },
  whitMonday: { days: 50, name: 'Lundi de Pentecôte' },
} as const;
type EasterFeast = keyof typeof fromEaster;

export type IslamicFeast = 'laylatAlQadr' | 'eidAlFitr' | 'eidAlAdha' | 'mawlid';

/**
 * Expected days of the Islamic feasts: the Umm al-Qura calendar's 27 Ramadan, 1 Shawwal,
 * 10 Dhu al-Hijja and 12 Rabi' al-Awwal. Expected, not official: each country fixes the day by
 * moon sighting, announced a few days before, and a deployment overrides the day it is told.
 * Years outside the table have no Islamic holidays until configured.
 */
export const expectedIslamicDates: Readonly<Record<number, Readonly<Record<IslamicFeast, CalendarDay>>>> = {
  2025: { laylatAlQadr: '2025-03-27', eidAlFitr: '2025-03-30', eidAlAdha: '2025-06-06', mawlid: '2025-09-04' },
  2026: { laylatAlQadr: '2026-03-16', eidAlFitr: '2026-03-20', eidAlAdha: '2026-05-27', mawlid: '2026-08-25' },
  2027: { laylatAlQadr: '2027-03-06', eidAlFitr: '2027-03-09', eidAlAdha: '2027-05-16', mawlid: '2027-08-14' },
  2028: { laylatAlQadr: '2028-02-23', eidAlFitr: '2028-02-26', eidAlAdha: '2028-05-05', mawlid: '2028-08-03' },
};

interface CountryRules {
  /** Fixed civil and religious days, as `MM-DD`. */
  readonly fixed: readonly (readonly [monthDay: string, name: string])[];
  readonly easter: readonly EasterFeast[];
  readonly islamic: Readonly<Partial<Record<IslamicFeast, string>>>;
  /** Fixed days whose next day is a holiday when they fall on a Sunday (or, in CM, on another holiday). */
  readonly nextDayIfSunday: readonly string[];
  readonly nextDayIfOnHoliday: boolean;
}

const rules: Readonly<Record<CountryCode, CountryRules>> = {
  // Loi n° 73/5 du 7 décembre 1973 fixant le régime des fêtes légales, modifiée par la loi n° 76/8 du 8 juillet 1976.
  // Easter Monday and Whit Monday are not legal feasts in Cameroon. Bridges (veille d'un mardi, lendemain d'un
  // vendredi, day after a religious feast on a Sunday) are at the President's discretion: overrides.
  CM: {
    fixed: [
      ['01-01', 'Jour de l’an'],
      ['02-11', 'Fête de la Jeunesse'],
      ['05-01', 'Fête du Travail'],
      ['05-20', 'Fête nationale'],
      ['08-15', 'Assomption'],
      ['12-25', 'Noël'],
    ],
    easter: ['goodFriday', 'ascension'],
    islamic: { eidAlFitr: 'Fête de fin du Ramadan (Djouldé Soumaé)', eidAlAdha: 'Fête du Mouton (Djouldé Laïhadji)' },
    nextDayIfSunday: ['01-01', '02-11', '05-01', '05-20'],
    nextDayIfOnHoliday: true,
  },
  // No consolidated text found; the list every government communiqué and the Labour ministry apply.
  TG: {
    fixed: [
      ['01-01', 'Jour de l’an'],
      ['04-27', 'Fête de l’Indépendance'],
      ['05-01', 'Fête du Travail'],
      ['06-21', 'Journée des Martyrs'],
      ['08-15', 'Assomption'],
      ['11-01', 'Toussaint'],
      ['12-25', 'Noël'],
    ],
    easter: ['easterMonday', 'ascension', 'whitMonday'],
    islamic: { eidAlFitr: 'Fête de fin du Ramadan (Aïd el-Fitr)', eidAlAdha: 'Tabaski (Aïd el-Kébir)' },
    nextDayIfSunday: [],
    nextDayIfOnHoliday: false,
  },
  // Ordonnance n° 23/042 du 30 mars 2023 fixant la liste des jours fériés légaux: ten days, no Easter, no Islamic feast.
  CD: {
    fixed: [
      ['01-01', 'Nouvel an'],
      ['01-04', 'Journée des Martyrs de l’Indépendance'],
      ['01-16', 'Journée du Héros national Laurent-Désiré Kabila'],
      ['01-17', 'Journée du Héros national Patrice Emery Lumumba'],
      ['04-06', 'Journée du combat de Simon Kimbangu et de la conscience africaine'],
      ['05-01', 'Fête du Travail'],
      ['05-17', 'Journée des Forces armées'],
      ['06-30', 'Journée de l’Indépendance'],
      ['08-01', 'Fête des Parents'],
      ['12-25', 'Noël'],
    ],
    easter: [],
    islamic: {},
    nextDayIfSunday: [],
    nextDayIfOnHoliday: false,
  },
  // Code du travail (loi 2015-532, art. 24.2) and décret n° 96-205 du 7 mars 1996 modifié par le décret n° 2011-371.
  // The day after a religious feast on a Sunday (Fitr on Sunday 30 March 2025 gave Monday 31) is decided each time: overrides.
  CI: {
    fixed: [
      ['01-01', 'Jour de l’an'],
      ['05-01', 'Fête du Travail'],
      ['08-07', 'Fête nationale'],
      ['08-15', 'Assomption'],
      ['11-01', 'Toussaint'],
      ['11-15', 'Journée nationale de la Paix'],
      ['12-25', 'Noël'],
    ],
    easter: ['easterMonday', 'ascension', 'whitMonday'],
    islamic: {
      laylatAlQadr: 'Lendemain de la Nuit du Destin (Laylat al-Qadr)',
      eidAlFitr: 'Fête de fin du Ramadan (Aïd el-Fitr)',
      eidAlAdha: 'Tabaski (Aïd el-Kébir)',
      mawlid: 'Lendemain de l’anniversaire de la naissance du Prophète (Maouloud)',
    },
    nextDayIfSunday: ['05-01', '08-07'],
    nextDayIfOnHoliday: false,
  },
};

export const supportedCountries: readonly CountryCode[] = ['CM', 'TG', 'CD', 'CI'];

export const isSupportedCountry = (country: string): country is CountryCode => (supportedCountries as readonly string[]).includes(country);

/** The public holidays a country's texts give for a year, sorted by date (several may share a date). */
export function legalHolidays(country: CountryCode, year: number): Holiday[] {
  const rule = rules[country];
  const easter = easterSunday(year);
  const holidays: Holiday[] = [
    ...rule.fixed.map(([monthDay, name]) => ({ date: onDay(year, monthDay), name })),
    ...rule.easter.map((feast) => ({ date: addDays(easter, fromEaster[feast].days), name: fromEaster[feast].name })),
  ];
  const expected = expectedIslamicDates[year];
  if (expected) {
    for (const [feast, name] of Object.entries(rule.islamic) as [IslamicFeast, string][]) {
      holidays.push({ date: expected[feast], name: `${name} (date attendue)` });
    }
  }
  for (const [monthDay, name] of rule.fixed) {
    if (!rule.nextDayIfSunday.includes(monthDay)) continue;
    const date = onDay(year, monthDay);
    const onAnotherHoliday = rule.nextDayIfOnHoliday && holidays.filter((h) => h.date === date).length > 1;
    if (weekdayOf(date) === 0 || onAnotherHoliday) holidays.push({ date: addDays(date, 1), name: `Lendemain : ${name}` });
  }
  return holidays.sort((a, b) => dayNumber(a.date) - dayNumber(b.date));
}
