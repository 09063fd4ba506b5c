import fc from 'fast-check';

/**
 * Shared pieces of the fuzz tests (lib/security/fuzz-*.int.test.ts): the seed and scale knobs, and
 * generators of the values that break input handling (NUL, lone surrogates, boundary lengths, huge
 * and odd numbers, deep nesting, wrong types).
 */

/** FUZZ_SEED picks another reproducible run; the default keeps CI deterministic. */
export const FUZZ_SEED = Number.isInteger(Number(process.env.FUZZ_SEED)) && process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20_261_124;
/** FUZZ_SCALE multiplies every target's number of runs (0.1 for a smoke run, 10 for a long soak). */
export const FUZZ_SCALE = Number(process.env.FUZZ_SCALE) > 0 ? Number(process.env.FUZZ_SCALE) : 1;

export const runsOf = (n: number) => Math.max(1, Math.round(n * FUZZ_SCALE));

const clipped = (text: string, max = 1500) => (text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text);

/**
 * fast-check parameters for one target: its own seed derived from FUZZ_SEED (so targets are
 * independent and a failure names the seed that replays it), and a reporter that keeps a huge
 * counterexample (a batch of 500 receipts) from flooding the output.
 */
export function fuzzParams<Ts extends unknown[]>(target: string, numRuns: number): fc.Parameters<Ts> {
  let h = FUZZ_SEED | 0;
  for (const ch of target) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return {
    seed: h,
    numRuns: runsOf(numRuns),
    asyncReporter: async (details) => {
      if (!details.failed) return;
      const error = details.errorInstance instanceof Error ? details.errorInstance : new Error(String(details.errorInstance));
      throw new Error(
        `${target}: property failed after ${details.numRuns} cases (FUZZ_SEED=${FUZZ_SEED}, seed ${details.seed}, path "${details.counterexamplePath}", shrunk ${details.numShrinks} times)\n` +
          `Counterexample: ${clipped(fc.stringify(details.counterexample))}\n${clipped(error.message, 3000)}`,
        { cause: error },
      );
    },
  };
}

/** Any UTF-16 code unit: lone surrogates, NUL and control characters included. */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Strings made to break storage and display: NUL, lone surrogates, bidi overrides, and arbitrary code units. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '   \t\n ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udc00y',
    '\udbff\udfff',
    '\ud83d\ude00',
    '\u202eevil\u202c',
    '\u200b',
    '\ufeff',
    '\uffff',
    '\\u0000',
    '%00',
    '../../../etc/passwd',
    '/etc/passwd',
    "'; DROP TABLE \"User\"; --",
    '<script>alert(1)</script>',
    '{{7*7}}',
    '${process.env}',
    '__proto__',
    'constructor',
    'null',
    'undefined',
    'NaN',
    '-Infinity',
    '1e400',
    '-1',
    '0x1F',
    ' 42 ',
    '٤٢',
    'true',
    '[]',
    '{}',
    '2026-02-30T25:61:61Z',
  ),
  // Odd lengths of astral characters: cutting them at an even limit leaves half a surrogate pair.
  fc.constantFrom(199, 499, 1999, 3999).map((n) => 'a' + '\ud83d\ude00'.repeat(Math.ceil(n / 2) + 1)),
  fc.string({ unit: anyUnit, maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ maxLength: 30 }),
);

/** Strings at and just past common length limits (the exact limit of a field is added by the caller). */
export function lengthBoundaries(limits: readonly number[] = [1, 2, 3, 9, 10, 19, 20, 63, 64, 65, 80, 81, 200, 201, 2000, 2001, 4000, 4001, 8001]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...limits), fc.constantFrom('a', ' ', 'é', '😀', '\u0000', '-', 'Z9')).map(([n, ch]) => ch.repeat(Math.max(1, Math.ceil(n / ch.length))).slice(0, ch === '😀' ? n * 2 : n));
}

/** Numbers JSON can carry that validation must survive. */
export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 1.5, -1.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, -(2 ** 53) - 2, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e21, 1e-7, 100_000_001, 1e9 + 1),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/**
 * Nested arrays or objects this deep. JSON.parse takes any depth, while JSON.stringify gives up at a few
 * thousand levels, so the test cannot build such a body with JSON.stringify: it is a marker that
 * `jsonText` writes out as text and `materialize` turns into the nested value itself.
 */
export class Deep {
  constructor(
    readonly depth: number,
    readonly asObject: boolean,
  ) {}
  text(): string {
    return this.asObject ? '{"a":'.repeat(this.depth) + '1' + '}'.repeat(this.depth) : '['.repeat(this.depth) + '1' + ']'.repeat(this.depth);
  }
  value(): unknown {
    let v: unknown = 1;
    for (let i = 0; i < this.depth; i++) v = this.asObject ? { a: v } : [v];
    return v;
  }
}

export const deepNesting: fc.Arbitrary<Deep> = fc.tuple(fc.constantFrom(64, 1000, 4000, 6000, 12_000), fc.boolean()).map(([depth, asObject]) => new Deep(depth, asObject));

/** JSON text of a generated value, with every Deep marker written out at its full depth. */
export function jsonText(value: unknown): string {
  const deep: Deep[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Deep) {
      deep.push(v);
      return `\u0001deep${deep.length - 1}\u0001`;
    }
    return v;
  });
  if (text === undefined) return 'null';
  return deep.length ? text.replace(/"\\u0001deep(\d+)\\u0001"/g, (_m, i: string) => deep[Number(i)]!.text()) : text;
}

/** The generated value with every Deep marker turned into the nested value itself (for in-process calls). */
export function materialize(value: unknown): unknown {
  if (value instanceof Deep) return value.value();
  if (Array.isArray(value)) return value.map(materialize);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: materialize(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** Any value JSON can carry, with the nasty ones over-represented. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: nastyNumber },
  { weight: 1, arbitrary: lengthBoundaries() },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': '' }, { __proto__: null }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(nastyString, nastyString, { maxKeys: 4 }) },
  { weight: 1, arbitrary: deepNesting },
);

/** Text that is not JSON, or JSON that is not an object. */
export const rawGarbage: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '{', '}', '{"a":', '[', 'nul', 'null', 'true', '0', '-0', '1e999', '"str"', '[]', '[{}]', '{}', '{"__proto__":{"x":1}}', '\u0000', '\ufeff{}', '{"a":1,"a":2}', 'NaN', '{\'a\':1}', '<?xml version="1.0"?>', '%7B%7D'),
  fc.string({ unit: anyUnit, maxLength: 60 }),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 40 }).map((s) => `{"${s}`),
  fc.constantFrom(2000, 100_000, 200_000).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.constantFrom(2000, 100_000).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
);

/**
 * An object built by a valid-body generator, then (most of the time) mutated: a field replaced with a
 * nasty value, removed, or an extra key added. Leaves some bodies valid on purpose.
 */
export function mutated<T extends Record<string, unknown>>(valid: fc.Arbitrary<T>, fieldValues: fc.Arbitrary<unknown> = nastyValue): fc.Arbitrary<unknown> {
  type Step = { op: 'replace' | 'delete' | 'extra'; pick: number; value: unknown; key: string };
  const step: fc.Arbitrary<Step> = fc.record({ op: fc.constantFrom('replace', 'replace', 'replace', 'delete', 'extra'), pick: fc.nat(), value: fieldValues, key: fc.oneof(nastyString, fc.constantFrom('extra', '__proto__', 'constructor', 'id', 'receipts')) });
  return fc.tuple(valid, fc.array(step, { maxLength: 3 })).map(([base, steps]) => {
    const out: Record<string, unknown> = { ...base };
    for (const s of steps) {
      const keys = Object.keys(out);
      if (s.op === 'extra' || !keys.length) Object.defineProperty(out, s.key, { value: s.value, enumerable: true, writable: true, configurable: true });
      else if (s.op === 'delete') delete out[keys[s.pick % keys.length]!];
      else out[keys[s.pick % keys.length]!] = s.value;
    }
    return out;
  });
}

/** A per-target tally the test files print at the end: how many generated cases each target ran. */
export class CaseTally {
  readonly counts = new Map<string, number>();
  readonly statuses = new Map<string, Map<string, number>>();
  add(target: string, outcome: string | number) {
    this.counts.set(target, (this.counts.get(target) ?? 0) + 1);
    const s = this.statuses.get(target) ?? new Map<string, number>();
    s.set(String(outcome), (s.get(String(outcome)) ?? 0) + 1);
    this.statuses.set(target, s);
  }
  /** FUZZ_PROFILE=1: where the time goes, per step. */
  readonly timings = new Map<string, number>();
  async timed<T>(step: string, work: () => Promise<T>): Promise<T> {
    if (!process.env.FUZZ_PROFILE) return work();
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.timings.set(step, (this.timings.get(step) ?? 0) + performance.now() - started);
    }
  }
  /** A sub-count that is not a case of its own (e.g. batches at the limit among the receipts cases). */
  readonly notes = new Map<string, Map<string, number>>();
  note(what: string, outcome: string | number) {
    const s = this.notes.get(what) ?? new Map<string, number>();
    s.set(String(outcome), (s.get(String(outcome)) ?? 0) + 1);
    this.notes.set(what, s);
  }
  get total() {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }
  summary(label: string, ms: number): string {
    const per = [...this.counts].map(([t, n]) => `${t} ${n} (${[...(this.statuses.get(t) ?? [])].sort().map(([o, c]) => `${o}:${c}`).join(' ')})`).join('; ');
    const notes = this.notes.size ? ` | of which ${[...this.notes].map(([t, m]) => `${t} (${[...m].sort().map(([o, c]) => `${o}:${c}`).join(' ')})`).join('; ')}` : '';
    const profile = this.timings.size ? ` | time per step: ${[...this.timings].map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}` : '';
    return `[${label}] seed ${FUZZ_SEED}, scale ${FUZZ_SCALE}: ${this.total} cases in ${(ms / 1000).toFixed(1)} s: ${per}${notes}${profile}`;
  }
}
