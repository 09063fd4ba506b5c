import { describe, expect, it } from 'vitest';
import { scanLog } from './log-scan';

const access = JSON.stringify({ level: 'info', msg: 'api request', requestId: '3f1c2a9e-1111-4222-8333-944445555666', status: 200 });

describe('log scan', () => {
  it('passes a log of access lines with request ids and token prefixes only', () => {
    const scan = scanLog(`${access}\n${JSON.stringify({ msg: 'api request', requestId: 'abcdefgh-1', token: 'mdt_AbCdEfGh' })}\n▲ Next.js ready`, [{ name: 'demo password', value: 'mandate-demo-2026' }]);
    expect(scan).toEqual({ lines: 3, accessLines: 2, withRequestId: 2, findings: [] });
  });

  it('finds tokens, bearer headers, cookies, hashes, keys and known secret values', () => {
    const token = `mdt_AbCdEfGh_${'x'.repeat(43)}`;
    const text = [
      `error: bad token ${token}`,
      'authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
      'cookie: next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0',
      '$argon2id$v=19$m=19456,t=2,p=1$abc',
      '-----BEGIN PRIVATE KEY-----',
      'signed in with mandate-demo-2026',
    ].join('\n');
    expect(scanLog(text, [{ name: 'demo password', value: 'mandate-demo-2026' }]).findings).toEqual([
      'line 1: agent or run token',
      'line 2: bearer credential',
      'line 3: session cookie',
      'line 4: password hash',
      'line 5: private key',
      'line 6: demo password',
    ]);
  });
});
