/**
 * What every browser journey needs: Debian's Chromium through playwright-core, a desktop and a phone
 * profile, a fresh browser context per journey that fails on uncaught page errors, screenshots that wait
 * for animations, and signing in. Node runs this file directly (type stripping): erasable TypeScript only.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { artifactsDir, type DemoAccount } from './server.ts';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1366, height: 860 }, locale: 'zh-CN' };
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
};

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/**
 * Waits (up to 2 s) for running animations — a dialog zooming in, a drawer, the segmented thumb — to finish:
 * on a loaded machine a click during a dialog's zoom can land where the button is not yet.
 */
export async function animationsDone(page: Page): Promise<void> {
  await page.evaluate(() => {
    const finite = document
      .getAnimations()
      .filter((animation) => animation.effect?.getComputedTiming().endTime !== Number.POSITIVE_INFINITY);
    const done = Promise.all(finite.map((animation) => animation.finished.catch(() => undefined)));
    return Promise.race([done, new Promise((resolve) => setTimeout(resolve, 2_000))]);
  });
}

/** Saves a screenshot once running animations have finished. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await animationsDone(page);
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage });
}

/**
 * Runs a journey in a fresh browser profile; uncaught page errors fail it, and a failure leaves a
 * screenshot named after it next to the others.
 */
export async function journey(
  where: { browser: Browser; baseUrl: string },
  name: string,
  options: BrowserContextOptions,
  steps: (page: Page) => Promise<void>,
): Promise<void> {
  const context = await where.browser.newContext({ ...options, baseURL: where.baseUrl });
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  try {
    await steps(page);
    assert.deepEqual(errors.map(String), [], 'uncaught errors in the page');
  } catch (error) {
    await screenshot(page, `FAILED-${name}`).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
}

export async function signIn(page: Page, account: Pick<DemoAccount, 'username' | 'password'>): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名', { exact: true }).fill(account.username);
  await page.getByLabel('密码', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

/** Calls the API with the page's session cookie (setting up or checking what a journey needs). */
export async function apiCall(page: Page, method: 'GET' | 'POST', path: string, data?: unknown) {
  const response = await page.request.fetch(`/api/v1${path}`, {
    method,
    ...(data === undefined ? {} : { data }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status(), body };
}

/** One question of the whitelist application wizard: the form item named by its label. */
export function wizardQuestion(page: Page, label: string) {
  return page.getByTestId('answers-form').locator('.ant-form-item').filter({ hasText: label });
}
