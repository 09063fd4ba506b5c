import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

function playwrightChromium(): string | undefined {
  try {
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function systemChromium(): string | undefined {
  return SYSTEM_CHROMIUMS.find((p) => existsSync(p));
}

function tryRun(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'inherit', timeout: 10 * 60_000 }).status === 0;
}

/**
 * A Chromium for the end-to-end tests: Playwright's own when installed, else a system Chromium,
 * else install one (Playwright's download where the network allows it, Debian's package where it
 * does not and we run as root). Returns the executable, or undefined for Playwright's own.
 */
export function findOrInstallChromium(): { executablePath?: string; how: string } {
  if (playwrightChromium()) return { how: "Playwright's own Chromium" };
  const system = systemChromium();
  if (system) return { executablePath: system, how: `system Chromium at ${system}` };

  console.log('No browser for the end-to-end tests yet: installing one…');
  if (tryRun(process.execPath, ['node_modules/@playwright/test/cli.js', 'install', 'chromium']) && playwrightChromium()) {
    return { how: "Playwright's own Chromium (just downloaded)" };
  }
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && existsSync('/usr/bin/apt-get')) {
    console.log("Playwright's download is not reachable: installing Debian's chromium package instead.");
    if (tryRun('apt-get', ['update', '-qq']) && tryRun('apt-get', ['install', '-y', '-qq', 'chromium'])) {
      const installed = systemChromium();
      if (installed) return { executablePath: installed, how: `Debian chromium, just installed at ${installed}` };
    }
  }
  throw new Error('No Chromium found and none could be installed. Install one (apt-get install chromium, or npx playwright install chromium) and run the tests again.');
}
