/**
 * The `parley-relay` command's arguments, read strictly: `--flag value`, `--flag=value`
 * and bare flags, each known by name; an unknown flag or a bad value is a `UsageError`
 * (printed with a hint, exit code 2), never ignored. The readers of the values that
 * several flags share (whole seconds, text) live here too.
 */

/** A usage error: printed with a hint, exit code 2. */
export class UsageError extends Error {}

export interface Parsed {
  flags: Map<string, string | true>;
  positional: string[];
}

export function parseArgs(args: string[], valued: readonly string[], bare: readonly string[]): Parsed {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (bare.includes(name)) {
      if (eq > 0) throw new UsageError(`option --${name} takes no value`);
      flags.set(name, true);
    } else if (valued.includes(name)) {
      const value = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`option --${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { flags, positional };
}

export const str = (p: Parsed, name: string, fallback: string): string => {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : fallback;
};

/** `{ [key]: milliseconds }` of a flag given in whole seconds (1 to 86400), or nothing. */
export function secondsFlag<K extends string>(p: Parsed, flag: string, key: K): Partial<Record<K, number>> {
  const v = p.flags.get(flag);
  if (v === undefined) return {};
  if (typeof v !== 'string' || !/^[1-9]\d{0,4}$/.test(v) || Number(v) > 86_400) throw new UsageError(`--${flag} must be a whole number of seconds from 1 to 86400`);
  return { [key]: Number(v) * 1000 } as Record<K, number>;
}

/** `{ [key]: value }` of a flag given as text, or nothing. */
export function optionalText<K extends string>(p: Parsed, flag: string, key: K): Partial<Record<K, string>> {
  const v = p.flags.get(flag);
  return typeof v === 'string' ? ({ [key]: v } as Record<K, string>) : {};
}
