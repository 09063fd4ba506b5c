import type { Role } from '@/lib/generated/prisma/enums';

/**
 * Roles → permissions. Code asks for a permission, never compares role strings; a user holding
 * several roles gets the union.
 */
export const PERMISSIONS = {
  REQUESTER: ['contract:read', 'contract:create', 'contract:submit', 'exception:request', 'run:read'],
  APPROVER: ['contract:read', 'approval:decide', 'run:read'],
  SECURITY: [
    'contract:read',
    'run:read',
    'approval:cosign',
    'exception:decide',
    'area:manage',
    'registry:manage',
    'registry:kill',
    'identity:manage',
    'incident:read',
    'incident:manage',
    'policy:manage',
    'audit:read',
  ],
  LEADER: ['contract:read', 'run:read', 'dashboard:read', 'audit:read', 'incident:read'],
  ADMIN: ['contract:read', 'user:manage', 'team:manage', 'settings:manage', 'dashboard:read', 'audit:read'],
} as const satisfies Record<Role, readonly string[]>;

export type Permission = (typeof PERMISSIONS)[Role][number];

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((role) => PERMISSIONS[role]));
}

export function can(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => (PERMISSIONS[role] as readonly string[]).includes(permission));
}

export const ROLE_LABELS: Record<Role, string> = {
  REQUESTER: 'Requester',
  APPROVER: 'Approver',
  SECURITY: 'Security',
  LEADER: 'Leader',
  ADMIN: 'Admin',
};
