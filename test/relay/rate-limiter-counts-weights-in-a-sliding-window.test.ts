import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/relay/rate-limit.js';

describe('RateLimiter', () => {
  it('counts weights (bytes) in a sliding window and records nothing it refuses', () => {
    let t = 0;
    const r = new RateLimiter({ count: 100, windowMs: 1000 }, () => t);
    expect(r.hit('a', 60)).toBe(true);
    t = 500;
    expect(r.hit('a', 50)).toBe(false); // 110 > 100: refused, not recorded
    expect(r.hit('a', 40)).toBe(true); // exactly 100
    expect(r.hit('b', 100)).toBe(true); // keys are apart
    t = 1000;
    expect(r.hit('a', 60)).toBe(true); // the first 60 left the window
    expect(r.hit('a', 1)).toBe(false);
  });

  it('forgets keys whose hits all left the window', () => {
    let t = 0;
    const r = new RateLimiter({ count: 1, windowMs: 10 }, () => t);
    r.hit('a');
    t = 100;
    r.sweep();
    expect(r.hit('a')).toBe(true);
  });
});
