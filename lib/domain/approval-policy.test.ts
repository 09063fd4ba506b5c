import { describe, expect, it } from 'vitest';
import { mayDecide, requiredApprovals } from './approval-policy';

describe('approval policy', () => {
  it('needs nobody for Low, one approver for Medium, an approver and a security co-sign for High', () => {
    expect(requiredApprovals('LOW', null)).toEqual([]);
    expect(requiredApprovals('MEDIUM', null)).toEqual([{ kind: 'APPROVER', assigneeId: null, queueRole: 'APPROVER' }]);
    expect(requiredApprovals('HIGH', 'u-elena')).toEqual([
      { kind: 'APPROVER', assigneeId: 'u-elena', queueRole: null },
      { kind: 'SECURITY_COSIGN', assigneeId: null, queueRole: 'SECURITY' },
    ]);
  });

  it('asks nobody to approve Stop work until security grants an exception, then handles it as High', () => {
    expect(requiredApprovals('STOP', 'u-elena')).toEqual([]);
    expect(requiredApprovals('STOP', 'u-elena', true)).toEqual(requiredApprovals('HIGH', 'u-elena'));
  });

  it('refuses the requester and the delegator as deciders', () => {
    const contract = { requesterId: 'u-priya', delegatedById: 'u-marcus' };
    expect(mayDecide('u-priya', contract)).toBe(false);
    expect(mayDecide('u-marcus', contract)).toBe(false);
    expect(mayDecide('u-elena', contract)).toBe(true);
  });
});
