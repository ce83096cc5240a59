/**
 * Opening hours on the team's wall clock: weekday ranges, a range past midnight, a
 * change to summer time that moves nothing, the next opening, and clear errors.
 */
import { describe, expect, it } from 'vitest';
import { isOpen, nextOpening, parseOpeningHours } from '../../src/relay/opening-hours.js';

const lisbon = parseOpeningHours('Mon-Fri 09:00-17:30; Sat 10:00-14:00', 'Europe/Lisbon');

describe('opening hours', () => {
  it('opens on weekdays and Saturday mornings, on Lisbon time', () => {
    // Tuesday 2026-01-13, winter: Lisbon is UTC+0.
    expect(isOpen(lisbon, new Date('2026-01-13T08:59:00Z'))).toBe(false);
    expect(isOpen(lisbon, new Date('2026-01-13T09:00:00Z'))).toBe(true);
    expect(isOpen(lisbon, new Date('2026-01-13T17:29:00Z'))).toBe(true);
    expect(isOpen(lisbon, new Date('2026-01-13T17:30:00Z'))).toBe(false);
    expect(isOpen(lisbon, new Date('2026-01-17T11:00:00Z'))).toBe(true); // Saturday
    expect(isOpen(lisbon, new Date('2026-01-18T11:00:00Z'))).toBe(false); // Sunday
  });

  it('keeps 09:00 at 09:00 across the change to summer time', () => {
    // Summer time starts on Sunday 2026-03-29 (UTC+1): Monday 09:00 in Lisbon is 08:00 UTC.
    expect(isOpen(lisbon, new Date('2026-03-30T08:00:00Z'))).toBe(true);
    expect(isOpen(lisbon, new Date('2026-03-30T07:59:00Z'))).toBe(false);
    expect(isOpen(lisbon, new Date('2026-03-27T08:30:00Z'))).toBe(false); // the Friday before: still UTC+0
    expect(nextOpening(lisbon, new Date('2026-03-28T15:00:00Z'))?.toISOString()).toBe('2026-03-30T08:00:00.000Z');
  });

  it('runs a range past midnight into the next day', () => {
    const late = parseOpeningHours('Fri 22:00-02:00', 'UTC');
    expect(isOpen(late, new Date('2026-01-16T23:30:00Z'))).toBe(true); // Friday
    expect(isOpen(late, new Date('2026-01-17T01:59:00Z'))).toBe(true); // Saturday, early
    expect(isOpen(late, new Date('2026-01-17T02:00:00Z'))).toBe(false);
    expect(isOpen(late, new Date('2026-01-16T01:00:00Z'))).toBe(false); // Friday early: Thursday is closed
    const wrap = parseOpeningHours('Fri-Mon 10:00-12:00', 'UTC');
    expect([16, 17, 18, 19, 20].map((d) => isOpen(wrap, new Date(`2026-01-${d}T11:00:00Z`)))).toEqual([true, true, true, true, false]);
  });

  it('says what it cannot read', () => {
    expect(() => parseOpeningHours('Mon-Fri 9-5', 'UTC')).toThrow(/not a range like/);
    expect(() => parseOpeningHours('Funday 09:00-10:00', 'UTC')).toThrow(/not a day/);
    expect(() => parseOpeningHours('Mon 09:00-25:00', 'UTC')).toThrow(/not a time/);
    expect(() => parseOpeningHours('Mon 09:00-17:00', 'Mars/Olympus')).toThrow(/not a time zone/);
    expect(() => parseOpeningHours('Mon 09:00-09:00', 'UTC')).toThrow(/same time/);
  });
});
