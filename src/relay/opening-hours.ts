/**
 * Opening hours (`--hours "Mon-Fri 09:00-17:30; Sat 10:00-14:00"` with `--timezone
 * Europe/Lisbon`): when the team answers, read on the wall clock of a time zone, so that
 * a change to or from summer time moves nothing. A range whose end is at or before its
 * start runs past midnight into the next day ("Fri 22:00-02:00" is open on Saturday at
 * 01:00). Pure apart from `Intl`, which knows the zones; parsed once, at start, with
 * errors that say what is wrong.
 */

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** One open stretch: from `start` to `end` minutes after midnight of `day` (0 = Sunday); `end` may pass 1440. */
interface Stretch {
  day: number;
  start: number;
  end: number;
}

/** Opening hours as parsed: the stretches of a week and the zone they are read in. */
export interface OpeningHours {
  stretches: Stretch[];
  timeZone: string;
}

const dayOf = (name: string): number => {
  const i = DAYS.indexOf(name.slice(0, 3).toLowerCase() as (typeof DAYS)[number]);
  if (i < 0 || name.length < 3) throw new RangeError(`hours: "${name}" is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)`);
  return i;
};

const minutesOf = (hhmm: string): number => {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (!m || (m[1] === '24' && m[2] !== '00')) throw new RangeError(`hours: "${hhmm}" is not a time like 09:00`);
  return Number(m[1]) * 60 + Number(m[2]);
};

/**
 * Parses `spec`, ranges separated by `;` or `,`, each "DAYS HH:MM-HH:MM" where DAYS is
 * a day ("Sat") or a run of days ("Mon-Fri", "Fri-Mon" wraps), in `timeZone`.
 * @throws RangeError naming what cannot be read, or an unknown time zone.
 */
export function parseOpeningHours(spec: string, timeZone: string): OpeningHours {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone }).format(0);
  } catch {
    throw new RangeError(`timezone: "${timeZone}" is not a time zone like Europe/Lisbon`);
  }
  const stretches: Stretch[] = [];
  const parts = spec.split(/[;,]/).map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw new RangeError('hours: give at least one range, such as "Mon-Fri 09:00-17:30"');
  for (const part of parts) {
    const m = /^([A-Za-z]+)(?:\s*-\s*([A-Za-z]+))?\s+(\d\d:\d\d)\s*-\s*(\d\d:\d\d)$/.exec(part);
    if (!m) throw new RangeError(`hours: "${part}" is not a range like "Mon-Fri 09:00-17:30"`);
    const first = dayOf(m[1]!);
    const last = m[2] ? dayOf(m[2]) : first;
    const start = minutesOf(m[3]!);
    let end = minutesOf(m[4]!);
    if (start === end) throw new RangeError(`hours: "${part}" opens and closes at the same time`);
    if (end < start) end += 24 * 60; // past midnight
    for (let d = first; ; d = (d + 1) % 7) {
      stretches.push({ day: d, start, end });
      if (d === last) break;
    }
  }
  return { stretches, timeZone };
}

/** One formatter per zone: making one costs far more than using it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The weekday (0 = Sunday) and minutes after midnight of `at` on the wall clock of `timeZone`. */
function wallClock(at: Date, timeZone: string): { day: number; minute: number } {
  let f = formatters.get(timeZone);
  if (!f) formatters.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  const parts = f.formatToParts(at);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return { day: dayOf(get('weekday')), minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** True when `at` falls in an open stretch (today's, or yesterday's that runs past midnight). */
export function isOpen(hours: OpeningHours, at: Date): boolean {
  const { day, minute } = wallClock(at, hours.timeZone);
  const yesterday = (day + 6) % 7;
  return hours.stretches.some(
    (s) => (s.day === day && minute >= s.start && minute < s.end) || (s.day === yesterday && s.end > 1440 && minute < s.end - 1440),
  );
}

/** The next time at or after `at` when the hours open (to the minute, within 8 days), or null when never. */
export function nextOpening(hours: OpeningHours, at: Date): Date | null {
  if (isOpen(hours, at)) return at;
  const step = 60_000;
  let t = Math.ceil(at.getTime() / step) * step;
  for (let i = 0; i < 8 * 24 * 60; i++, t += step) if (isOpen(hours, new Date(t))) return new Date(t);
  return null;
}
