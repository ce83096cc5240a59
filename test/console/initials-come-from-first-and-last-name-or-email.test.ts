import { describe, expect, it } from 'vitest';
import { initialsOf } from '../../src/console/initials.js';

describe('initialsOf', () => {
  it('takes the first letters of the first and last name', () => {
    expect(initialsOf({ name: 'Ann Lee', email: 'x@example.com' })).toBe('AL');
    expect(initialsOf({ name: 'ann maria lee', email: 'x@example.com' })).toBe('AL');
    expect(initialsOf({ name: '  Ann  ', email: 'x@example.com' })).toBe('A');
  });

  it("falls back to the email's first letter without a name", () => {
    expect(initialsOf({ email: 'bea@example.com' })).toBe('B');
    expect(initialsOf({ name: '', email: 'bea@example.com' })).toBe('B');
    expect(initialsOf(null)).toBe('?');
  });

  it('keeps whole letters of any script and drops invisible controls', () => {
    expect(initialsOf({ name: 'Łukasz Żuk', email: 'l@example.com' })).toBe('ŁŻ');
    expect(initialsOf({ name: '\u202eEve \u200bMoss', email: 'e@example.com' })).toBe('EM');
    expect(initialsOf({ name: '𝒜da Lovelace', email: 'a@example.com' })).toBe('𝒜L');
  });
});
