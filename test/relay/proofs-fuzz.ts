/**
 * The hostile-frame generator of the fuzz proof: a seeded PRNG (so a failing run is
 * reproduced from its printed seed) and, for each endpoint, frames of known kinds with
 * what PROTOCOL.md section 1 says the relay must answer. It judges frames by the
 * documented rules only; it does not call the relay's parsers.
 */
import { MAX_FRAME_BYTES } from '../../src/protocol/index.js';

/** mulberry32: small, fast, good enough to pick cases; the same seed gives the same frames. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the relay must do with a frame. */
export type Expect =
  /** `error bad_frame` (with the frame's `id` when it had a readable one); socket stays open. */
  | { kind: 'bad_frame'; id?: string }
  /** `error invalid` naming `field` (with `id` when readable); socket stays open. */
  | { kind: 'invalid'; field: string; id?: string }
  /** A well-formed frame: any documented answer, or one of these close codes. */
  | { kind: 'any'; closes: number[] }
  /** The socket is closed with this code. */
  | { kind: 'close'; code: number };

/** One generated frame. */
export interface FuzzFrame {
  /** Text, or bytes: sent as a binary frame when `binary`, else as a text frame as they are. */
  data: string | Buffer;
  binary: boolean;
  expect: Expect;
  /** A label for the tally. */
  category: string;
}

type Field =
  | 'reqId'
  | 'optId'
  | 'email'
  | 'name'
  | 'page'
  | 'locale'
  | 'token'
  | 'opaque'
  | 'optOpaque'
  | 'seq'
  | 'uuid'
  | 'text'
  | 'bool'
  | 'status'
  | 'note';

/** Visitor frame templates (PROTOCOL.md section 4): field → kind, in the order the protocol lists them. */
export const VISITOR_FRAMES: Record<string, Record<string, Field>> = {
  hello: { id: 'reqId', email: 'email', name: 'name', page: 'page', locale: 'locale' },
  resume: { id: 'reqId', token: 'token', conversationId: 'opaque', afterSeq: 'seq' },
  send: { id: 'optId', clientId: 'uuid', text: 'text' },
  typing: { on: 'bool' },
  read: { upToSeq: 'seq' },
  cancel_upload: { id: 'optId', requestId: 'opaque' },
  end: { id: 'optId' },
  ping: { id: 'optId' },
};

/** Agent frame templates (PROTOCOL.md section 6), like `VISITOR_FRAMES`. */
export const AGENT_FRAMES: Record<string, Record<string, Field>> = {
  hello: { id: 'reqId', token: 'token' },
  status: { id: 'optId', value: 'status' },
  watch: { id: 'reqId', conversationId: 'opaque', afterSeq: 'seq' },
  claim: { id: 'reqId', conversationId: 'opaque' },
  send: { id: 'optId', conversationId: 'opaque', clientId: 'uuid', text: 'text' },
  request_upload: { id: 'reqId', conversationId: 'opaque', note: 'note' },
  cancel_upload: { id: 'optId', conversationId: 'opaque', requestId: 'opaque' },
  transfer: { id: 'reqId', conversationId: 'opaque', toAgentId: 'optOpaque', note: 'note' },
  end: { id: 'optId', conversationId: 'opaque' },
  block: { id: 'optId', conversationId: 'opaque', comment: 'note' },
  note: { id: 'optId', conversationId: 'opaque', text: 'text' },
  typing: { conversationId: 'opaque', on: 'bool' },
  read: { conversationId: 'opaque', upToSeq: 'seq' },
  ping: { id: 'optId' },
};

/** Optional fields: absent, or present and valid; never `null` in a strict case. */
const OPTIONAL = new Set<Field>(['optId', 'name', 'page', 'locale', 'optOpaque', 'note']);

/** A value that is JSON text, inserted verbatim (deep nesting, huge literals, `__proto__` objects). */
class Raw {
  constructor(readonly json: string) {}
}

const LONE = ['\ud800', '\udfff', 'a\udbffb', '\udc00\ud800'];

/** The generator for one endpoint, on one PRNG stream. */
export class FrameFuzzer {
  private n = 0;
  constructor(
    private readonly r: () => number,
    private readonly table: Record<string, Record<string, Field>>,
    /** Ids worth aiming at (conversations and agents the fuzzer has heard of). */
    readonly targets: { conversations: string[]; agents: string[] } = { conversations: [], agents: [] },
  ) {}

  private int(n: number): number {
    return Math.floor(this.r() * n);
  }
  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  private chance(p: number): boolean {
    return this.r() < p;
  }
  /** A version-4-shaped UUID from the seeded stream, so a replay sends the same bytes. */
  private randomUUID(): string {
    const hex = Array.from({ length: 32 }, () => this.int(16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  private deep(): Raw {
    const d = 1 + this.int(20_000);
    return this.chance(0.5) ? new Raw('['.repeat(d) + ']'.repeat(d)) : new Raw('{"a":'.repeat(Math.min(d, 10_000)) + '1' + '}'.repeat(Math.min(d, 10_000)));
  }
  private hugeNumber(): Raw {
    return new Raw(this.pick(['1e400', '-1e400', '123456789012345678901234567890', '9007199254740993', '1e308', '-0', '0.0000001', '1E-400']));
  }
  private protoObject(): Raw {
    return new Raw(
      this.pick([
        '{"__proto__":{"polluted":"yes","isAgent":true}}',
        '{"constructor":{"prototype":{"polluted":"yes"}}}',
        '{"__proto__":null}',
        '{"toString":"x","valueOf":1,"hasOwnProperty":false}',
      ]),
    );
  }
  private junkValue(): unknown {
    switch (this.int(9)) {
      case 0:
        return this.int(2) === 0;
      case 1:
        return (this.r() - 0.5) * 10 ** this.int(300);
      case 2:
        return [];
      case 3:
        return {};
      case 4:
        return this.deep();
      case 5:
        return this.hugeNumber();
      case 6:
        return this.protoObject();
      case 7:
        return this.pick(LONE) + 'x'.repeat(this.int(50));
      default:
        return 'x'.repeat(this.int(200));
    }
  }

  /** A valid value for a field kind. */
  private valid(kind: Field): unknown {
    const convs = this.targets.conversations;
    const opaque = (): string =>
      convs.length && this.chance(0.5)
        ? this.pick(convs)
        : this.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', this.randomUUID().replaceAll('-', '').slice(0, 22), 'A'.repeat(64), '0', '-']);
    switch (kind) {
      case 'reqId':
      case 'optId':
        return this.pick(['q' + this.n, '__proto__', 'constructor', '😀'.repeat(16), 'x'.repeat(64), '<img src=x onerror=alert(1)>']);
      case 'email':
        return `fuzz${this.int(1e9)}@example.com`;
      case 'name':
        return this.pick(['<script>alert(1)</script>', 'Robert"); DROP TABLE visitors;--', 'Ann', '\u202eevil', 'ﷺ'.repeat(20)]);
      case 'page':
        return { url: 'https://shop.example/?q=<script>', title: '"><svg onload=alert(1)>' };
      case 'locale':
        return this.pick(['en', 'de-DE', 'zh-Hant-TW']);
      case 'token':
        return this.randomUUID().replaceAll('-', '') + 'abcdefghijk';
      case 'opaque':
        return opaque();
      case 'optOpaque':
        return this.targets.agents.length && this.chance(0.5) ? this.pick(this.targets.agents) : opaque();
      case 'seq':
        return this.pick([0, 1, 2, 1000, Number.MAX_SAFE_INTEGER]);
      case 'uuid':
        return this.randomUUID();
      case 'text':
        return this.pick(['hello', '<script>alert(1)</script>', '\u0000'.slice(1) + 'x', 'x'.repeat(4000), '😀'.repeat(1000), '  padded  ']);
      case 'bool':
        return this.chance(0.5);
      case 'status':
        return this.pick(['online', 'away']);
      case 'note':
        return this.pick(['a note', 'x'.repeat(1000)]);
    }
  }

  /** A value that the documented checks refuse for a field kind (never null or absent). */
  private invalid(kind: Field): unknown {
    const number = (v: unknown): boolean => typeof v === 'number' || (v instanceof Raw && /^[-0-9.eE]+$/.test(v.json));
    // Wrong types: whatever is not of the kind's own type.
    const common = [5, true, false, [], {}, this.deep(), this.protoObject(), this.hugeNumber()].filter((v) =>
      kind === 'seq' ? !number(v) : kind === 'bool' ? typeof v !== 'boolean' : true,
    );
    const strings: Record<Field, unknown[]> = {
      reqId: ['', 'x'.repeat(65)],
      optId: ['', 'x'.repeat(65)],
      email: ['', 'no-at-sign', 'a@b', '@example.com', 'x'.repeat(250) + '@example.com', '\ud800@example.com', '<script>alert(1)</script>@x.com', 'a@-x-.com'],
      name: ['x'.repeat(101), 'a\u0000b', '\udc00', 'line\nbreak'],
      page: [{ url: 'javascript:alert(1)', title: 't' }, { url: 5 }, { url: 'https://x.example', title: 5 }, { url: 'https://x.example/' + 'a'.repeat(3000) }, 'https://x.example'],
      locale: ['en_US!', 'x'.repeat(100), '<b>'],
      token: ['short', 'x'.repeat(300), 'has spaces in it, so no', '\ud800'.repeat(20)],
      opaque: ['', 'x'.repeat(65), '../../etc/passwd', 'a b', 'ü', '\ud800', 'a.b'],
      optOpaque: ['', 'x'.repeat(65), '../x', '\ud800'],
      seq: [-1, 1.5, 1e300, new Raw('1e400'), new Raw('9007199254740993'), '5', -0.5],
      uuid: ['not-a-uuid', '', '\ud800', 'g'.repeat(36), this.randomUUID() + 'x'],
      text: ['', '   ', 'x'.repeat(4001), 'a\u0000b', '\ud800', 'x'.repeat(60_000), 'bell\u0007'],
      bool: ['true', 1, 0, 'false'],
      status: ['busy', 'ONLINE', 'offline ', ''],
      note: ['x'.repeat(1001), '', '\ud800', 'nul\u0000'],
    };
    return this.pick([...common, ...strings[kind]]);
  }

  /** Serialises an object whose values may be `Raw` JSON. */
  private serialize(fields: [string, unknown][]): string {
    return '{' + fields.map(([k, v]) => `${JSON.stringify(k)}:${v instanceof Raw ? v.json : JSON.stringify(v)}`).join(',') + '}';
  }

  private template(t: string): [string, unknown][] {
    const out: [string, unknown][] = [['t', t]];
    for (const [k, kind] of Object.entries(this.table[t]!)) {
      if (OPTIONAL.has(kind) && this.chance(0.5)) continue;
      out.push([k, this.valid(kind)]);
    }
    return out;
  }

  /** The `id` the relay can echo: a string of 1 to 64 characters. */
  private static readableId(fields: [string, unknown][]): string | undefined {
    const v = fields.find(([k]) => k === 'id')?.[1];
    return typeof v === 'string' && v.length > 0 && v.length <= 64 ? v : undefined;
  }

  private text(data: string, expect: Expect, category: string): FuzzFrame {
    const bytes = Buffer.byteLength(data);
    if (bytes > MAX_FRAME_BYTES) return { data, binary: false, expect: { kind: 'close', code: 1009 }, category: 'oversize' };
    return { data, binary: false, expect, category };
  }

  /**
   * The next hostile frame. `closing` names the frame types whose well-formed form may
   * close the socket here, with the codes it may close with (a made-up `resume`: 4401).
   */
  next(closing: Record<string, number[]> = {}): FuzzFrame {
    const closesFor = (t: unknown): number[] => (typeof t === 'string' && Object.prototype.hasOwnProperty.call(closing, t) ? closing[t]! : []);
    this.n++;
    const types = Object.keys(this.table);
    const roll = this.r();
    if (roll < 0.08) {
      // Not JSON at all: random bytes, broken JSON, lone surrogates.
      const kinds = [
        () => Buffer.from(Array.from({ length: 1 + this.int(300) }, () => this.int(256))).toString('latin1'),
        () => this.serialize(this.template(this.pick(types))).slice(0, -1 - this.int(5)),
        () => this.pick(LONE).repeat(1 + this.int(10)),
        () => '{"t":"send",,}',
        () => "{'t':'ping'}",
        () => '',
      ];
      const data = this.pick(kinds)();
      try {
        const v = JSON.parse(data) as unknown;
        if (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { t?: unknown }).t === 'string') {
          return this.text(data, { kind: 'any', closes: closesFor((v as { t: string }).t) }, 'garbage');
        }
      } catch {
        /* expected */
      }
      return this.text(data, { kind: 'bad_frame' }, 'garbage');
    }
    if (roll < 0.14) {
      const data = this.pick(['null', 'true', '0', '-1e400', '"hello"', '[]', '[{"t":"ping"}]', this.deep().json, '"\\ud800"']);
      return this.text(data, { kind: 'bad_frame' }, 'not_an_object');
    }
    if (roll < 0.22) {
      const fields = this.template(this.pick(types)).slice(1);
      if (this.chance(0.6)) fields.unshift(['t', this.pick([5, true, [], {}, this.deep(), this.protoObject(), this.hugeNumber()])]);
      const id = FrameFuzzer.readableId(fields);
      return this.text(this.serialize(fields), { kind: 'bad_frame', ...(id ? { id } : {}) }, 'untyped');
    }
    if (roll < 0.3) {
      const t = this.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'PING', 'ping ', '', 'x'.repeat(5000), '\ud800', 'welcome', 'ack', 'event', ...Object.keys(this.table === VISITOR_FRAMES ? AGENT_FRAMES : VISITOR_FRAMES).filter((k) => !(k in this.table))]);
      const fields = this.template(this.pick(types));
      fields[0] = ['t', t];
      const id = FrameFuzzer.readableId(fields);
      return this.text(this.serialize(fields), { kind: 'bad_frame', ...(id ? { id } : {}) }, 'unknown_type');
    }
    if (roll < 0.33) {
      return { data: Buffer.from(JSON.stringify({ t: 'ping', id: 'bin' })), binary: true, expect: { kind: 'bad_frame' }, category: 'binary' };
    }
    if (roll < 0.335) {
      const size = MAX_FRAME_BYTES + 1 + this.int(8_000);
      return { data: `{"t":"ping","pad":"${'x'.repeat(size)}"}`, binary: false, expect: { kind: 'close', code: 1009 }, category: 'oversize' };
    }
    if (roll < 0.7) {
      // A known type with exactly one field broken: missing, null, wrong type, out of range.
      const t = this.pick(types.filter((x) => Object.keys(this.table[x]!).some((k) => k !== 'id' || this.table[x]![k] === 'reqId')));
      const spec = this.table[t]!;
      const breakable = Object.entries(spec).filter(([, kind]) => kind !== 'optId');
      const [field, kind] = this.pick(breakable);
      const fields: [string, unknown][] = [['t', t]];
      for (const [k, kd] of Object.entries(spec)) {
        if (k === field) {
          const drop = !OPTIONAL.has(kind) && this.chance(0.2);
          if (drop) continue;
          fields.push([k, !OPTIONAL.has(kind) && this.chance(0.1) ? null : this.invalid(kind)]);
        } else if (!OPTIONAL.has(kd) || this.chance(0.5)) {
          fields.push([k, this.valid(kd)]);
        }
      }
      if (this.chance(0.3)) fields.push(['__proto__', this.protoObject()]);
      const id = FrameFuzzer.readableId(fields);
      return this.text(this.serialize(fields), { kind: 'invalid', field, ...(id ? { id } : {}) }, 'invalid_field');
    }
    // Well-formed frames with hostile extras: unknown keys, __proto__/constructor, deep
    // nesting, huge numbers. The relay must treat them as the plain frame. Types that
    // close the socket are drawn less often, so the run spends its time on frames.
    let t = this.pick(types);
    if (closesFor(t).length && this.chance(0.8)) t = this.pick(types);
    const fields = this.template(t);
    const extras = 1 + this.int(4);
    for (let i = 0; i < extras; i++) {
      fields.push([this.pick(['__proto__', 'constructor', 'prototype', 'isAgent', 'agent', 'from', 'seq', 'x' + this.int(100)]), this.junkValue()]);
    }
    return this.text(this.serialize(fields), { kind: 'any', closes: closesFor(fields[0]![1]) }, 'well_formed_with_extras');
  }

  /** A text frame whose bytes are not UTF-8 (the WebSocket layer refuses it). */
  badUtf8(): FuzzFrame {
    return { data: Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d]), binary: false, expect: { kind: 'close', code: 1007 }, category: 'invalid_utf8' };
  }
}
