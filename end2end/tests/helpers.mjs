// Shared set-up for the end-to-end tests: Debian's Chromium driven by playwright-core,
// axe-core for accessibility, and small helpers for the demo accounts.
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';

export const BASE = process.env.BRP_E2E_BASE_URL ?? 'http://127.0.0.1:3000';
export const DEMO_PASSWORD = 'demo-demo-demo';

/** Waits until the portal answers: in demo mode it first seeds its accounts and population. */
async function serverUp() {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      const res = await fetch(`${BASE}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${BASE} did not come up within 180 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function launch() {
  await serverUp();
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A fresh browser context (own cookies); `js: false` for the tests without JavaScript. */
export async function newPage(browser, { js = true } = {}) {
  const context = await browser.newContext({ baseURL: BASE, javaScriptEnabled: js, locale: 'nl-NL' });
  const page = await context.newPage();
  return { context, page };
}

/** Waits until the WebAssembly has hydrated the page (the app marks <body>). */
export async function hydrated(page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20_000 });
}

export async function login(page, username, password = DEMO_PASSWORD, { js = true } = {}) {
  await page.goto('/inloggen');
  if (js) await hydrated(page);
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

/** Runs axe-core on the page for WCAG 2.0/2.1 A and AA and fails on any violation. */
export async function expectAccessible(page, label) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const summary = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  assert.deepEqual(summary, [], `axe violations on ${label}`);
}

/** The session cookie of a context. */
export async function sessionCookie(context) {
  const cookies = await context.cookies();
  return cookies.find((c) => c.name.endsWith('brp_sessie'));
}
