import { z } from 'zod';

/**
 * Secrets out of evidence: before the gateway stores a tool call's arguments in a receipt, every
 * string is scanned with the redaction patterns, and every field whose name says it holds a secret
 * is blanked whole. The stored receipt says what was redacted and where, never the value.
 */

export type RedactionPattern = { name: string; regex: RegExp };
export type Redaction = { path: string; pattern: string };

const BUILT_IN: readonly { name: string; source: string; flags?: string }[] = [
  { name: 'private key', source: '-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----' },
  { name: 'bearer token', source: '\\bBearer\\s+[A-Za-z0-9._~+/=-]{12,}', flags: 'i' },
  { name: 'AWS access key', source: '\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b' },
  { name: 'GitHub token', source: '\\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})' },
  { name: 'Slack token', source: '\\bxox[abprs]-[A-Za-z0-9-]{10,}' },
  { name: 'Stripe key', source: '\\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}' },
  { name: 'Mandate token', source: '\\bmd[tr]_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{20,}' },
  { name: 'JSON web token', source: '\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}' },
  { name: 'password in URL', source: '(?<=://[^/\\s:@]{1,200}:)[^/\\s@]{1,200}(?=@)' },
];

/**
 * Field names whose value is a secret whatever it looks like: a secret word anywhere in the name,
 * in any case or separator style (`apiKey`, `x-api-key`, `accessToken`, `db_password`, `secretKey`).
 * Counters such as `tokens_used` or `maxTokens` stay.
 */
const SECRET_WORD = /(pass(word|wd|phrase)?|secret|token|api[-_]?key|apikey|authori[sz]ation|^auth$|credential|private[-_]?key|cookie|^session$|session[-_]?id|signature)/i;
const COUNTER_WORD = /(tokens|count|used|limit|max|min|length|size)/i;
export function isSecretField(name: string): boolean {
  return SECRET_WORD.test(name) && !(COUNTER_WORD.test(name) && !/pass|secret|key|credential|cookie|session/i.test(name));
}

/** The most redaction records one value keeps (the rest are counted). */
export const MAX_REDACTION_RECORDS = 50;

const compile = (p: { name: string; source: string; flags?: string }): RedactionPattern => ({ name: p.name, regex: new RegExp(p.source, `${(p.flags ?? '').replace(/g/g, '')}g`) });

export const DEFAULT_PATTERNS: readonly RedactionPattern[] = BUILT_IN.map(compile);

/** Extra patterns an operator adds (`MANDATE_REDACT_PATTERNS`): a JSON array of {name, pattern, flags?}. */
export const RedactionConfig = z.array(
  z
    .object({
      name: z.string().trim().min(1, 'name is required').max(80),
      pattern: z.string().min(1, 'pattern is required').max(500, 'pattern is longer than 500 characters'),
      flags: z.string().regex(/^[imsu]*$/, 'flags may be i, m, s and u').optional(),
    })
    .strict()
    .superRefine((p, ctx) => {
      try {
        new RegExp(p.pattern, p.flags);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['pattern'], message: `not a valid regular expression: ${(error as Error).message}` });
      }
    }),
);

/** The built-in patterns plus the configured ones; a broken configuration is an error that names the entry. */
export function redactionPatterns(raw: string | undefined): RedactionPattern[] {
  if (!raw?.trim()) return [...DEFAULT_PATTERNS];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('MANDATE_REDACT_PATTERNS is not valid JSON; give an array like [{"name":"order id","pattern":"ORD-\\\\d{8}"}].');
  }
  const parsed = RedactionConfig.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`MANDATE_REDACT_PATTERNS entry ${issue.path.join('.')}: ${issue.message}`);
  }
  return [...DEFAULT_PATTERNS, ...parsed.data.map((p) => compile({ name: p.name, source: p.pattern, flags: p.flags }))];
}

const mark = (name: string) => `[redacted: ${name}]`;

/** A copy of `value` with secrets replaced, and the list of what was replaced where (`args.query`). */
export function redact(value: unknown, patterns: readonly RedactionPattern[], path = '$'): { value: unknown; redactions: Redaction[]; more: number } {
  const redactions: Redaction[] = [];
  let more = 0;
  const note = (r: Redaction) => (redactions.length < MAX_REDACTION_RECORDS ? redactions.push(r) : more++);
  const walk = (v: unknown, at: string): unknown => {
    if (typeof v === 'string') {
      let out = v;
      for (const p of patterns) {
        p.regex.lastIndex = 0;
        if (p.regex.test(out)) {
          p.regex.lastIndex = 0;
          out = out.replace(p.regex, mark(p.name));
          note({ path: at, pattern: p.name });
        }
      }
      return out;
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${at}[${i}]`));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(v)) {
        const where = `${at}.${key}`;
        if (isSecretField(key) && item !== null && item !== '' && (typeof item !== 'object' || Object.keys(item).length > 0)) {
          out[key] = mark('secret field');
          note({ path: where, pattern: 'secret field' });
        } else {
          out[key] = walk(item, where);
        }
      }
      return out;
    }
    return v;
  };
  const out = walk(value, path);
  return { value: out, redactions, more };
}
