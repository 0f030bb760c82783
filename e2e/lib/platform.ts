/**
 * The demo platform a browser-test file runs against: `useDemoPlatform()` registers the file's hooks — the
 * artifacts folder, the real server in demo mode (lib/server.ts) and Chromium before the tests, both closed
 * after them — and hands out what every journey needs. Call it once, at the top level of a test file.
 * Node runs this file directly (type stripping): erasable TypeScript only.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { journey, launchChromium, signIn } from './browser.ts';
import { artifactsDir, type DemoAccount, type RunningServer, startServer } from './server.ts';

export interface DemoPlatform {
  /** The running server (inside tests and hooks only). */
  readonly server: RunningServer;
  readonly browser: Browser;
  /** A journey in a fresh browser profile against this server (see `journey`). */
  run(name: string, options: BrowserContextOptions, steps: (page: Page) => Promise<void>): Promise<void>;
  /** A demo account by user name, from the server's demo-accounts.json. */
  account(username: string): DemoAccount;
  /** Signs in as a demo account and waits for the home page. */
  signInAs(page: Page, username: string): Promise<void>;
}

export function useDemoPlatform(): DemoPlatform {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;

  before(
    async () => {
      await mkdir(artifactsDir, { recursive: true });
      server = await startServer();
      browser = await launchChromium();
    },
    { timeout: 240_000 },
  );
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const platform: DemoPlatform = {
    get server() {
      assert.ok(server, 'the demo server runs only inside tests');
      return server;
    },
    get browser() {
      assert.ok(browser, 'Chromium runs only inside tests');
      return browser;
    },
    run: (name, options, steps) =>
      journey({ browser: platform.browser, baseUrl: platform.server.baseUrl }, name, options, steps),
    account(username) {
      const found = platform.server.accounts.find((candidate) => candidate.username === username);
      assert.ok(found, `${username} is in demo-accounts.json`);
      return found;
    },
    async signInAs(page, username) {
      await signIn(page, platform.account(username));
      await page.waitForURL(`${platform.server.baseUrl}/`);
    },
  };
  return platform;
}
