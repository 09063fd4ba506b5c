/** The app's public origin for links it hands out: NEXTAUTH_URL when set (behind a proxy), else the request's. */
export function publicOrigin(request: Request): string {
  const configured = process.env.NEXTAUTH_URL;
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      // fall through to the request's origin
    }
  }
  return new URL(request.url).origin;
}

/** The same origin for a server component, from the request headers. */
export async function pageOrigin(): Promise<string> {
  const { headers } = await import('next/headers');
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost:3000';
  const proto = h.get('x-forwarded-proto') ?? 'http';
  return publicOrigin(new Request(`${proto}://${host}/`));
}
