/** Only a path on this site: `//host`, `/\\host`, schemes and anything that resolves elsewhere fall back to home. */
export function localPath(target: string | undefined): string {
  if (!target || !target.startsWith('/') || /^\/[/\\]/.test(target) || /[\u0000-\u001f]/.test(target)) return '/';
  try {
    const url = new URL(target, 'http://mandate.invalid');
    return url.origin === 'http://mandate.invalid' ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}
