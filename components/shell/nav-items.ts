import type { Permission } from '@/lib/auth/permissions';

/** Shown when the person holds any of the permissions. */
export type NavItem = { href: string; label: string; permission?: Permission | Permission[]; count?: number; /** Other paths under this item. */ also?: string[] };

/** Areas of the app, each shown to the roles whose permissions include it. */
export const NAV_ITEMS: NavItem[] = [
  { href: '/', label: 'My work' },
  { href: '/contracts', label: 'Contracts', permission: 'contract:read' },
  { href: '/approvals', label: 'Approvals', permission: ['approval:decide', 'approval:cosign'] },
  { href: '/security/identities', label: 'Agents' },
  { href: '/security/mcp', label: 'MCP registry' },
  { href: '/security/sensitive-areas', label: 'Policy', permission: 'area:manage', also: ['/security/policy-cases'] },
  { href: '/incidents', label: 'Incidents', permission: 'incident:read' },
  { href: '/dashboard', label: 'Dashboard', permission: 'dashboard:read' },
  { href: '/audit', label: 'Audit log', permission: 'audit:read' },
  { href: '/integrations', label: 'Integrations' },
  { href: '/admin/people', label: 'People & teams', permission: 'user:manage' },
];
