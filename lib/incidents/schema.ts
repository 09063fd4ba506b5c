import { z } from 'zod';
import { CONTAINMENT_ACTIONS, INCIDENT_SOURCES, SEVERITIES } from '@/lib/domain/incident';

const id = z.string().trim().max(64);
const optionalId = id.optional().transform((v) => v || null);

export const OpenIncidentInput = z.object({
  title: z.string().trim().min(5, 'Give the incident a title (at least 5 characters)').max(160, 'At most 160 characters'),
  severity: z.enum(SEVERITIES, { message: 'Choose a severity' }),
  source: z.enum(INCIDENT_SOURCES, { message: 'Say what opened the incident' }),
  ownerId: id.min(1, 'Choose who owns the response'),
  summary: z.string().trim().min(10, 'Say what is known so far (at least 10 characters)').max(4000, 'At most 4000 characters'),
  runId: optionalId,
  /** The receipt the incident is about (a violation), by its sequence number in the run. */
  seq: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.number().int().min(1).max(2_147_483_647).optional()),
  contractId: optionalId,
  serverId: optionalId,
  identityId: optionalId,
});
export type OpenIncidentInput = z.infer<typeof OpenIncidentInput>;

const reason = z.string().trim().min(10, 'Give a reason of at least 10 characters; it goes into the audit log and the timeline').max(2000, 'At most 2000 characters');

export const ContainInput = z.object({ incidentId: id.min(1), action: z.enum(CONTAINMENT_ACTIONS, { message: 'Choose a containment action' }), reason });
export type ContainInput = z.infer<typeof ContainInput>;

export const LiftFreezeInput = z.object({ incidentId: id.min(1), reason });

export const ResolveInput = z.object({
  incidentId: id.min(1),
  resolution: z.string().trim().min(10, 'Say how it was resolved (at least 10 characters)').max(4000, 'At most 4000 characters'),
});

export const ReviewInput = z.object({
  incidentId: id.min(1),
  what: z.string().trim().min(20, 'What happened, in at least 20 characters').max(8000, 'At most 8000 characters'),
  why: z.string().trim().min(20, 'Why the boundary allowed or caught it, in at least 20 characters').max(8000, 'At most 8000 characters'),
  followUps: z.string().trim().min(10, 'List the follow-ups (at least 10 characters), e.g. the policy case saved').max(8000, 'At most 8000 characters'),
});
