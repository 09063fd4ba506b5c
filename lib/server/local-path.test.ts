import { describe, expect, it } from 'vitest';
import { localPath } from './local-path';

describe('localPath (where sign-in may send you afterwards)', () => {
  it('keeps paths on this site, with their query and fragment', () => {
    expect(localPath('/contracts/abc?tab=runs#evidence')).toBe('/contracts/abc?tab=runs#evidence');
    expect(localPath('/')).toBe('/');
  });

  it('sends everything that would leave the site home', () => {
    for (const target of [undefined, '', 'https://evil.example/', '//evil.example/x', '/\\evil.example', '/\\\\evil.example', 'javascript:alert(1)', '/\tevil', ' /x', '/..//evil.example', '/.//evil.example', '/a/..//evil.example', '/./\\evil.example', '/%2e%2e//evil.example']) {
      expect(localPath(target), String(target)).toBe('/');
    }
  });
});
