// The sample target's web UI in a real headless Chromium: the forms work, and markup in user text stays text.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { startAidawg } from '../../examples/aidawg/server.ts';
import { CHROMIUM_ARGS } from '../../src/run/ui/browser.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';

let browser: Browser;
let correct: RunningAidawg;
let faulty: RunningAidawg;

beforeAll(async () => {
  [browser, correct, faulty] = await Promise.all([
    chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    }),
    startAidawg(),
    startAidawg({ faults: ['F3'] }),
  ]);
});
afterAll(() => Promise.all([browser?.close(), correct?.close(), faulty?.close()]));

describe('the AI DAWG web UI', () => {
  it('signs a new producer up and creates a project through the forms, keeping markup in names as text', async () => {
    const page = await browser.newPage();
    await page.goto(`${correct.url}/signup`);
    await page.getByLabel('E-mail').fill(`ui-${Date.now()}@example.test`);
    await page.getByLabel('Password').fill('ui-pass-123');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${correct.url}/projects`);
    await page.getByLabel('Project name').fill('<img src=x onerror="document.title=\'pwned\'">');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    await expect(page.locator('h1').textContent()).resolves.toBe(
      '<img src=x onerror="document.title=\'pwned\'">',
    );
    await expect(page.title()).resolves.not.toBe('pwned');
    await expect(page.getByRole('link', { name: 'Export to WAV' }).getAttribute('href')).resolves.toMatch(
      /format=wav$/,
    );
    await page.close();
  });

  it('shows a login error in the form', async () => {
    const page = await browser.newPage();
    await page.goto(`${correct.url}/login`);
    await page.getByLabel('E-mail').fill('nobody@example.test');
    await page.getByLabel('Password').fill('wrong-pass-1');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('invalid email or password');
    await page.close();
  });

  it('keeps search text as text, and runs it as markup only with fault F3', async () => {
    const probe = '<b id="probe">bold</b>';
    const safe = await browser.newPage();
    await safe.goto(`${correct.url}/templates?q=${encodeURIComponent(probe)}`);
    await expect(safe.locator('#probe').count()).resolves.toBe(0);
    await expect(safe.locator('#count').textContent()).resolves.toBe(`0 templates matching “${probe}”`);
    const unsafe = await browser.newPage();
    await unsafe.goto(`${faulty.url}/templates?q=${encodeURIComponent(probe)}`);
    await expect(unsafe.locator('#probe').count()).resolves.toBe(1);
    await Promise.all([safe.close(), unsafe.close()]);
  });
});
