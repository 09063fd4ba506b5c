import { describe, expect, it } from 'vitest';
import { containmentOptions, incidentTransition, mergeTimeline } from './incident';

describe('incident lifecycle', () => {
  it('goes open → contained → resolved → reviewed and says why a step is refused', () => {
    expect(incidentTransition('OPEN', 'contain')).toEqual({ ok: true, to: 'CONTAINED' });
    expect(incidentTransition('CONTAINED', 'contain')).toEqual({ ok: true, to: 'CONTAINED' });
    expect(incidentTransition('CONTAINED', 'resolve')).toEqual({ ok: true, to: 'RESOLVED' });
    expect(incidentTransition('OPEN', 'resolve')).toEqual({ ok: true, to: 'RESOLVED' });
    expect(incidentTransition('RESOLVED', 'review')).toEqual({ ok: true, to: 'REVIEWED' });
    expect(incidentTransition('OPEN', 'review')).toEqual({ ok: false, reason: 'An incident that is open cannot get its closing review.' });
    expect(incidentTransition('REVIEWED', 'contain')).toMatchObject({ ok: false });
    expect(incidentTransition('RESOLVED', 'liftFreeze')).toEqual({ ok: true, to: 'RESOLVED' });
  });

  it('offers only containment actions that would change something', () => {
    const options = containmentOptions({
      server: null,
      identity: { name: 'claude', status: 'SUSPENDED', killed: false, liveTokens: 2 },
      contract: { ref: 'MDT-12', frozen: false },
    });
    expect(options.filter((o) => o.available).map((o) => o.action)).toEqual(['revoke-tokens', 'freeze-contract', 'other']);
    expect(options.find((o) => o.action === 'suspend-identity')?.why).toBe('claude is already suspended');
  });

  it('merges timelines in time order', () => {
    const t = (m: number) => new Date(Date.UTC(2026, 10, 1, 0, m));
    const merged = mergeTimeline(
      [{ at: t(5), source: 'receipt' as const, key: 'r1', order: 0 }, { at: t(9), source: 'receipt' as const, key: 'r2', order: 1 }],
      [{ at: t(5), source: 'audit' as const, key: 'a1', order: 2 }, { at: t(1), source: 'audit' as const, key: 'a0', order: 3 }],
    );
    expect(merged.map((e) => e.key)).toEqual(['a0', 'r1', 'a1', 'r2']);
  });
});
