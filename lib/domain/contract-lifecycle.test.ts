import { describe, expect, it } from 'vitest';
import { CONTRACT_STATUSES, CONTRACT_TRANSITIONS, transition } from './contract-lifecycle';

describe('contract lifecycle', () => {
  it('routes a submitted contract by its tier', () => {
    expect(transition('DRAFT', 'submit', 'requester', 'LOW')).toEqual({ ok: true, to: 'READY' });
    expect(transition('DRAFT', 'submit', 'requester', 'MEDIUM')).toEqual({ ok: true, to: 'IN_REVIEW' });
    expect(transition('DRAFT', 'submit', 'requester', 'HIGH')).toEqual({ ok: true, to: 'IN_REVIEW' });
    expect(transition('DRAFT', 'submit', 'requester', 'STOP')).toEqual({ ok: true, to: 'BLOCKED' });
  });

  it('treats editing an approved contract as a resubmit that goes back to review', () => {
    expect(transition('APPROVED', 'submit', 'requester', 'MEDIUM')).toEqual({ ok: true, to: 'IN_REVIEW' });
  });

  it('unblocks a Stop contract only through a security exception, into review', () => {
    expect(transition('BLOCKED', 'startRun', 'agent', 'STOP')).toMatchObject({ ok: false });
    expect(transition('BLOCKED', 'grantException', 'requester', 'STOP')).toMatchObject({ ok: false, reason: 'Only security can have a contract unblocked by an exception.' });
    expect(transition('BLOCKED', 'grantException', 'security', 'STOP')).toEqual({ ok: true, to: 'IN_REVIEW' });
  });

  it('refuses an illegal transition with a reason instead of doing nothing', () => {
    expect(transition('CLOSED', 'submit', 'requester', 'LOW')).toEqual({ ok: false, reason: 'A contract that is closed cannot be submitted.' });
    expect(transition('IN_REVIEW', 'startRun', 'agent', 'MEDIUM')).toEqual({ ok: false, reason: 'A contract that is in review cannot be started.' });
  });

  it('lets runs start only on ready or approved contracts', () => {
    const startable = CONTRACT_STATUSES.filter((s) => transition(s, 'startRun', 'agent', 'MEDIUM').ok);
    expect(startable).toEqual(['READY', 'APPROVED']);
  });

  it('names only known statuses in the table', () => {
    for (const [event, rule] of Object.entries(CONTRACT_TRANSITIONS)) {
      for (const from of rule.from) expect(CONTRACT_STATUSES, `${event} from ${from}`).toContain(from);
    }
  });
});
