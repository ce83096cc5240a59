import { describe, expect, it } from 'vitest';
import { webAudioChime, type AudioContextLike } from '../../src/console/chime.js';

/** A fake AudioContext that records the oscillators it makes and whether it was resumed. */
function fakeAudio(state = 'running') {
  const log: string[] = [];
  let made = 0;
  class FakeContext implements AudioContextLike {
    currentTime = 10;
    state = state;
    destination = 'speakers';
    constructor() {
      made++;
    }
    async resume(): Promise<void> {
      log.push('resume');
      this.state = 'running';
    }
    createOscillator() {
      return {
        type: '',
        frequency: { setValueAtTime: (hz: number, t: number) => log.push(`hz ${hz} at ${t}`) },
        connect: () => log.push('osc->gain'),
        start: (t?: number) => log.push(`start ${t}`),
        stop: (t?: number) => log.push(`stop ${t?.toFixed(2)}`),
      };
    }
    createGain() {
      return {
        gain: { setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined },
        connect: (n: unknown) => log.push(`gain->${String(n)}`),
      };
    }
  }
  return { FakeContext, log, made: () => made };
}

describe('webAudioChime', () => {
  it('plays two short tones through a gain to the speakers, from one audio context', () => {
    const a = fakeAudio();
    const chime = webAudioChime(a.FakeContext)!;
    chime.play();
    chime.play();
    expect(a.made()).toBe(1);
    const first = a.log.slice(0, a.log.length / 2);
    expect(first).toEqual(['hz 880 at 10', 'osc->gain', 'gain->speakers', 'start 10', 'stop 10.16', 'hz 1320 at 10.12', 'osc->gain', 'gain->speakers', 'start 10.12', 'stop 10.28']);
  });

  it('resumes a context the browser started suspended', () => {
    const a = fakeAudio('suspended');
    webAudioChime(a.FakeContext)!.play();
    expect(a.log[0]).toBe('resume');
  });

  it('is none without Web Audio, and silent (not failing) when the context refuses', () => {
    expect(webAudioChime(null)).toBeNull();
    const Broken = class {
      constructor() {
        throw new Error('not allowed');
      }
    } as unknown as new () => AudioContextLike;
    expect(() => webAudioChime(Broken)!.play()).not.toThrow();
  });
});
