/** Only a path on this site: `//host`, `/\\host`, schemes and anything that resolves elsewhere fall back to home. */
export function localPath(target: string | undefined): string {
  if (!target || !target.startsWith('/') || /^\/[/\\]/.test(target) || /[\u0000-\u001f]/.test(target)) return '/';
  try {
    const url = new URL(target, 'http://mandate.invalid');
    const path = `${url.pathname}${url.search}${url.hash}`;
    // Normalising can itself produce a network path ("/..//evil.example" → "//evil.example"): check the result too.
    return url.origin === 'http://mandate.invalid' && !/^\/[/\\]/.test(path) ? path : '/';
  } catch {
    return '/';
  }
}
