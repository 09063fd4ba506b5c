import picomatch from 'picomatch';

/** Path globs over repository paths: `billing/export/**`, `**\/*.env*`, `docs/*.md`. */
const MATCH_OPTIONS = { dot: true } as const;
const WILDCARD = /[*?[\]{}]/;
const MAX_CANDIDATES = 400;

/** Why a glob is not acceptable, or null when it is. */
export function globProblem(glob: string): string | null {
  if (glob.trim() !== glob) return 'remove the spaces around it';
  if (glob.length === 0) return 'it is empty';
  if (glob.length > 200) return 'it is longer than 200 characters';
  if (glob.includes('\\')) return 'use forward slashes';
  if (glob.startsWith('/')) return 'paths are relative to the repository root: drop the leading /';
  const segments = glob.split('/');
  if (segments.includes('..') || segments.includes('.')) return "'.' and '..' segments are not allowed";
  if (segments.some((s, i) => s === '' && i < segments.length - 1)) return 'it has an empty path segment (//)';
  if (!balanced(glob, '{', '}')) return 'a { has no matching }';
  if (!balanced(glob, '[', ']')) return 'a [ has no matching ]';
  if (/\*\*\*/.test(glob)) return "'***' is not a wildcard: use ** for any depth";
  if (segments.some((s) => s.includes('**') && s !== '**')) return "'**' must be a whole path segment, as in src/**/*.ts";
  try {
    if (picomatch.makeRe(glob, MATCH_OPTIONS).source === '$^') return 'it can never match a path';
  } catch (error) {
    return `it is not a valid glob (${(error as Error).message})`;
  }
  return null;
}

function balanced(text: string, open: string, close: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === open) depth++;
    if (ch === close && --depth < 0) return false;
  }
  return depth === 0;
}

const matchers = new Map<string, (path: string) => boolean>();
export function matchesGlob(glob: string, path: string): boolean {
  let m = matchers.get(glob);
  if (!m) {
    m = picomatch(glob, MATCH_OPTIONS);
    matchers.set(glob, m);
  }
  return m(path);
}

/** Expands one level of {a,b} alternatives at a time until none is left. */
function expandBraces(glob: string): string[] {
  const match = /\{([^{}]*)\}/.exec(glob);
  if (!match) return [glob];
  const [whole, body] = match;
  return body!.split(',').flatMap((alt) => expandBraces(glob.replace(whole, alt)));
}

function concrete(segment: string): string {
  return segment.replace(/\[[^\]]*\]/g, 'x').replace(/[*?]/g, 'x');
}

/** Literal-ish segments of a glob, wildcards made concrete: `**\/*.env*` → [`x.envx`]. */
function hints(glob: string): string[] {
  return glob.split('/').filter((s) => s !== '**' && s !== '').map(concrete);
}

/** Concrete paths a glob matches, steered towards the other glob's names so that overlaps show up. */
function candidates(glob: string, steer: string[]): string[] {
  let paths: string[][] = [[]];
  for (const segment of glob.split('/')) {
    let choices: string[][];
    if (segment === '**') choices = [[], steer, ['x'], ['x', ...steer]];
    else if (WILDCARD.test(segment)) {
      choices = [[concrete(segment)], ...steer.filter((h) => matchesGlob(segment, h)).map((h) => [h])];
    } else choices = [[segment]];
    paths = paths.flatMap((p) => choices.map((c) => [...p, ...c])).slice(0, MAX_CANDIDATES);
  }
  return paths.map((p) => p.join('/')).filter((p) => p.length > 0);
}

/**
 * A path inside `scope` that the sensitive-area pattern `area` also matches, and that `skip` does
 * not rule out; null when there is none. We do not know the repository's tree, so a scope overlaps
 * an area when it names it: `billing/export/**` names `**\/billing/**`, `**` names everything, but
 * `src/**` does not name a floating `**\/auth/**` (the boundary check still catches the paths an
 * agent actually touches). Anchored areas (`deploy/**`) are overlapped by any scope that reaches them.
 */
export function overlap(scope: string, area: string, skip: (path: string) => boolean = () => false): string | null {
  // A scope that names one path (maybe with escaped brackets, as in `app/runs/\[id\]/page.tsx`):
  // the area overlaps it exactly when it matches that path.
  if (isLiteralPath(scope)) {
    const path = scope.replace(/\\(.)/g, '$1');
    return matchesGlob(area, path) && !skip(path) ? path : null;
  }
  for (const x of expandBraces(scope)) {
    for (const y of expandBraces(area)) {
      const steer = y.startsWith('**') ? [] : hints(y);
      const pool = [...candidates(x, steer), ...candidates(y, [])];
      const hit = pool.find((p) => matchesGlob(x, p) && matchesGlob(y, p) && !skip(p));
      if (hit) return hit;
    }
  }
  return null;
}

/** A glob that names one path: no wildcard, except characters escaped with a backslash. */
export function isLiteralPath(glob: string): boolean {
  return !WILDCARD.test(glob.replace(/\\./g, ''));
}
