import type { Tier } from './risk';

export type RequiredApproval = { kind: 'APPROVER' | 'SECURITY_COSIGN'; assigneeId: string | null; queueRole: 'APPROVER' | 'SECURITY' | null };

/**
 * Who must sign a contract of this tier before it may run. Low needs nobody; Medium one approver
 * (named, or the approver queue); High a named approver (or the queue) and a security co-sign.
 * Stop needs a granted security exception first, after which it is handled as High.
 */
export function requiredApprovals(tier: Tier, namedApproverId: string | null, exceptionGranted = false): RequiredApproval[] {
  const approver: RequiredApproval = namedApproverId
    ? { kind: 'APPROVER', assigneeId: namedApproverId, queueRole: null }
    : { kind: 'APPROVER', assigneeId: null, queueRole: 'APPROVER' };
  const cosign: RequiredApproval = { kind: 'SECURITY_COSIGN', assigneeId: null, queueRole: 'SECURITY' };
  switch (tier) {
    case 'LOW':
      return [];
    case 'MEDIUM':
      return [approver];
    case 'HIGH':
      return [approver, cosign];
    case 'STOP':
      return exceptionGranted ? [approver, cosign] : [];
  }
}

/** Separation of duties: nobody approves work they requested or delegated. */
export function mayDecide(deciderId: string, contract: { requesterId: string; delegatedById: string | null }): boolean {
  return deciderId !== contract.requesterId && deciderId !== contract.delegatedById;
}
