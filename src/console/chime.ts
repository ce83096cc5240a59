/**
 * The console's alert sound: a short two-tone beep made with the Web Audio API (an
 * oscillator through a gain envelope), so the console ships no audio file. The audio
 * context is made on the first beep and resumed each time (browsers start it
 * suspended until the page has been used); a browser without Web Audio, or one that
 * refuses, stays silent rather than failing.
 */

/** What the beep needs of an `AudioContext`: a structural subset, so tests can fake it. */
export interface AudioContextLike {
  readonly currentTime: number;
  readonly state: string;
  readonly destination: unknown;
  resume(): Promise<void>;
  createOscillator(): {
    type: string;
    frequency: { setValueAtTime(value: number, time: number): unknown };
    connect(node: unknown): unknown;
    start(when?: number): void;
    stop(when?: number): void;
  };
  createGain(): {
    gain: {
      setValueAtTime(value: number, time: number): unknown;
      exponentialRampToValueAtTime(value: number, time: number): unknown;
    };
    connect(node: unknown): unknown;
  };
}

/** Something that plays the alert sound. */
export interface Chime {
  play(): void;
}

/** The notes of the beep: frequency (Hz) and when each starts (s after now). */
const NOTES = [
  { hz: 880, at: 0 },
  { hz: 1320, at: 0.12 },
] as const;
const NOTE_SECONDS = 0.16;

/**
 * A chime on the Web Audio API. `AudioContextCtor` defaults to the browser's
 * `AudioContext`; returns null when there is none (or `null` is passed).
 */
export function webAudioChime(AudioContextCtor: (new () => AudioContextLike) | null = globalThis.AudioContext ?? null): Chime | null {
  if (typeof AudioContextCtor !== 'function') return null;
  let ctx: AudioContextLike | null = null;
  return {
    play() {
      try {
        ctx ??= new AudioContextCtor();
        if (ctx.state === 'suspended') ctx.resume().catch(() => undefined);
        const t0 = ctx.currentTime;
        for (const n of NOTES) {
          const osc = ctx.createOscillator();
          const gain = ctx.createGain();
          const start = t0 + n.at;
          osc.type = 'sine';
          osc.frequency.setValueAtTime(n.hz, start);
          gain.gain.setValueAtTime(0.0001, start);
          gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
          gain.gain.exponentialRampToValueAtTime(0.0001, start + NOTE_SECONDS);
          osc.connect(gain);
          gain.connect(ctx.destination);
          osc.start(start);
          osc.stop(start + NOTE_SECONDS);
        }
      } catch {
        // No sound is better than a broken console.
      }
    },
  };
}
