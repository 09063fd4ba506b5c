import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// What the production build is made of: when any of these is newer than .next/BUILD_ID, rebuild.
const SOURCES = ['app', 'components', 'lib', 'public', 'next.config.ts', 'package-lock.json', 'postcss.config.mjs', 'prisma/schema.prisma', 'tsconfig.json'];
const SKIP = new Set(['node_modules', 'generated', '.next']);

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (SKIP.has(entry)) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** 'missing' when there is no production build, 'stale' when a source changed after it, else 'current'. */
export function buildStatus(root = process.cwd()): 'missing' | 'stale' | 'current' {
  const buildId = join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return 'missing';
  const builtAt = statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtime(join(root, s)) > builtAt) ? 'stale' : 'current';
}
