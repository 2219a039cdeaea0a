import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; tests fail (not skip) with this named when it is missing. */
export const chromiumPath = process.env.SPANWISE_CHROMIUM ?? '/usr/bin/chromium';

/** Where browser and e2e tests save their screenshots (ignored by git). */
export const screenshotDir = new URL('../e2e/screenshots/', import.meta.url).pathname;

/** Launches headless Chromium with no background network traffic. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: install the Debian package 'chromium' (or set SPANWISE_CHROMIUM)`);
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Path of a named screenshot. */
export function screenshotPath(name: string): string {
  return join(screenshotDir, `${name}.png`);
}
