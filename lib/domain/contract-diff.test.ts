import { describe, expect, it } from 'vitest';
import { diffSnapshots } from './contract-diff';

describe('contract diff', () => {
  it('lists added and removed scope and changed text, nothing else', () => {
    const v1 = { title: 'Paginate export', allowGlobs: ['billing/**'], checks: ['npm test'], budget: '$25 · 400 calls · 120 min' };
    const v2 = { title: 'Paginate invoice export', allowGlobs: ['billing/export/**'], checks: ['npm test'], budget: '$25 · 400 calls · 120 min' };
    expect(diffSnapshots(v1, v2)).toEqual([
      { field: 'title', label: 'Title', kind: 'text', before: 'Paginate export', after: 'Paginate invoice export' },
      { field: 'allowGlobs', label: 'File scope (allowed)', kind: 'list', added: ['billing/export/**'], removed: ['billing/**'] },
    ]);
  });

  it('reports no changes for identical snapshots', () => {
    const v = { title: 'x', allowGlobs: ['a/**'] };
    expect(diffSnapshots(v, { ...v })).toEqual([]);
  });
});
