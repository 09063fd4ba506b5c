import { describe, expect, it } from 'vitest';
import { DEFAULT_PATTERNS, redact, redactionPatterns } from './redaction';

describe('redact', () => {
  it('replaces secrets inside strings and says where, leaving the rest as it was', () => {
    const args = {
      query: 'why does curl -H "Authorization: Bearer abcdefghijklmnop123" fail',
      repo: 'northwind/ledger',
      nested: { urls: ['https://deploy:hunter2@git.northwind.example/x.git'], note: 'key AKIAABCDEFGHIJKLMNOP here' },
      count: 3,
    };
    const { value, redactions } = redact(args, DEFAULT_PATTERNS, 'args');
    expect(value).toEqual({
      query: 'why does curl -H "Authorization: [redacted: bearer token]" fail',
      repo: 'northwind/ledger',
      nested: { urls: ['https://deploy:[redacted: password in URL]@git.northwind.example/x.git'], note: 'key [redacted: AWS access key] here' },
      count: 3,
    });
    expect(redactions).toEqual([
      { path: 'args.query', pattern: 'bearer token' },
      { path: 'args.nested.urls[0]', pattern: 'password in URL' },
      { path: 'args.nested.note', pattern: 'AWS access key' },
    ]);
    expect(JSON.stringify(value)).not.toContain('hunter2');
  });

  it('blanks fields named like secrets whatever their value, but not empty ones', () => {
    const { value, redactions } = redact({ apiKey: 'plain-looking', db_password: 42, token: '', headers: { Cookie: 'sid=1' }, tokens_used: 12 }, DEFAULT_PATTERNS);
    expect(value).toEqual({ apiKey: '[redacted: secret field]', db_password: '[redacted: secret field]', token: '', headers: { Cookie: '[redacted: secret field]' }, tokens_used: 12 });
    expect(redactions.map((r) => r.path)).toEqual(['$.apiKey', '$.db_password', '$.headers.Cookie']);
  });

  it('knows secret field names in every style, and leaves counters alone', () => {
    const names = ['accessToken', 'refreshToken', 'authToken', 'dbPassword', 'secretKey', 'secret_key', 'x-api-key', 'Authorization', 'clientSecret', 'sessionId', 'auth'];
    for (const n of names) expect(redact({ [n]: 'v' }, DEFAULT_PATTERNS).value, n).toEqual({ [n]: '[redacted: secret field]' });
    for (const n of ['tokens_used', 'maxTokens', 'tokenCount', 'author', 'keyword', 'title']) expect(redact({ [n]: 'v' }, DEFAULT_PATTERNS).value, n).toEqual({ [n]: 'v' });
  });

  it('keeps at most 50 redaction records and counts the rest', () => {
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`password${i}`, 'x']));
    const { redactions, more } = redact(many, DEFAULT_PATTERNS);
    expect(redactions).toHaveLength(50);
    expect(more).toBe(10);
  });

  it('applies a pattern to every match in a string and is repeatable (no sticky regex state)', () => {
    const s = 'ghp_' + 'a'.repeat(36) + ' and ghp_' + 'b'.repeat(36);
    expect(redact(s, DEFAULT_PATTERNS).value).toBe('[redacted: GitHub token] and [redacted: GitHub token]');
    expect(redact(s, DEFAULT_PATTERNS).value).toBe('[redacted: GitHub token] and [redacted: GitHub token]');
  });
});

describe('redactionPatterns', () => {
  it('adds configured patterns to the built-in ones', () => {
    const patterns = redactionPatterns('[{"name":"order id","pattern":"ORD-\\\\d{6}"}]');
    expect(patterns).toHaveLength(DEFAULT_PATTERNS.length + 1);
    expect(redact({ q: 'refund ORD-123456 now' }, patterns).value).toEqual({ q: 'refund [redacted: order id] now' });
  });

  it('names the broken entry of a bad configuration', () => {
    expect(() => redactionPatterns('not json')).toThrow(/not valid JSON/);
    expect(() => redactionPatterns('[{"name":"x","pattern":"("}]')).toThrow(/entry 0\.pattern: not a valid regular expression/);
    expect(() => redactionPatterns('[{"name":"","pattern":"a"}]')).toThrow(/entry 0\.name/);
    expect(redactionPatterns(undefined)).toHaveLength(DEFAULT_PATTERNS.length);
  });
});
