/**
 * A person tries Herald in the sandbox's page, in a real headless Chromium: declares through the modal,
 * finds the channel and its pinned card, sends an update, fast-forwards to the next prompt, resolves,
 * writes the review and opens the Home tab. Screenshots of the main screens go to test-output/screenshots/ (docs/screenshots/, shown by the README, with UPDATE_SCREENSHOTS=1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../src/sandbox/start';
import { DECLARE_BLOCKS, FOLLOW_UP_BLOCKS, REVIEW_BLOCKS, STAKEHOLDER_BLOCKS, UPDATE_BLOCKS } from '../../src/slack/ids';
import { eventually, launchChromium, newPage, screenshot } from '../support/browser';

jest.setTimeout(300_000);

let sandbox: Sandbox;
let browser: Browser;
let page: Page;
const dataDir = mkdtempSync(join(tmpdir(), 'herald-sandbox-'));

beforeAll(async () => {
  sandbox = await startSandbox({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  browser = await launchChromium();
  page = await newPage(browser);
  page.on('pageerror', (err) => {
    throw err;
  });
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const field = (blockId: string) => page.locator(`#modal [data-block="${blockId}"]`);
const modal = () => page.locator('#modal');
const messages = () => page.locator('#messages');

async function type(text: string): Promise<void> {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

async function openChannel(name: string): Promise<void> {
  await page.locator('#channels a, #dms a', { hasText: name }).first().click();
  await page.locator('#title', { hasText: name }).waitFor();
}

describe('Trying Herald in the sandbox, with no Slack workspace', () => {
  it('the page loads and shows the workspace', async () => {
    const started = Date.now();
    await page.goto(`http://127.0.0.1:${sandbox.port}/sandbox`);
    await page.locator('#channels a', { hasText: 'general' }).waitFor();
    // Reported, not judged: the machine is shared.
    console.log(`sandbox page loaded and drew the workspace in ${Date.now() - started} ms`);
    expect(await page.locator('#person option').allInnerTexts()).toEqual(['amara — Europe/London', 'ben — America/New_York', 'chihiro — Asia/Tokyo', 'diego — America/Los_Angeles']);
  });

  it('declaring through the modal shows a missing field under it, then creates the channel with its pinned card', async () => {
    await type('/incident declare Checkout is down');
    await modal().locator('.modal-title', { hasText: 'Declare' }).waitFor();
    await field(DECLARE_BLOCKS.commander).locator('select').selectOption('U01AMARA');
    await modal().locator('button[type=submit]').click();
    await field(DECLARE_BLOCKS.severity).locator('.field-error', { hasText: /severity/i }).waitFor();
    expect(await field(DECLARE_BLOCKS.title).locator('.field-error').isVisible()).toBe(false);

    await field(DECLARE_BLOCKS.severity).locator('select').selectOption('SEV1');
    await field(DECLARE_BLOCKS.services).locator('select').selectOption({ label: 'Payments API' });
    await field(DECLARE_BLOCKS.summary).locator('textarea').fill('Card payments fail with 502 for about 1 in 5 customers');
    await screenshot(page, '1-declare-modal');
    await modal().locator('button[type=submit]').click();
    await page.locator('#modal-backdrop').waitFor({ state: 'hidden' });

    await openChannel('inc-1-checkout-is-down');
    const card = messages().locator('.message.pinned', { hasText: 'Checkout is down' });
    await card.waitFor();
    expect(await card.innerText()).toMatch(/SEV1/);
    expect(await card.locator('.pinned-label').isVisible()).toBe(true);
    await screenshot(page, '2-incident-channel');
  });

  it('a message reacted to with 📌 makes the timeline', async () => {
    await type('Rolled back the 09:40 release of the payment gateway');
    const mine = messages().locator('.message', { hasText: 'Rolled back the 09:40 release' });
    await mine.hover();
    await mine.getByRole('button', { name: 'Pin to timeline' }).click();
    await mine.locator('.reaction', { hasText: '📌 1' }).waitFor();
    // The pin is read from Slack through Herald's outbox, so the timeline may take a moment to show it.
    await eventually(async () => {
      const before = await messages().locator('.message.note').count();
      await type('/incident timeline');
      await eventually(async () => expect(await messages().locator('.message.note').count()).toBeGreaterThan(before), 10_000);
      expect(await messages().locator('.message.note').last().innerText()).toContain('Rolled back the 09:40 release');
    });
  });

  it('the comms lead sends an update, and it reaches the channel and the stakeholders', async () => {
    await type('/incident update');
    await modal().locator('.modal-title', { hasText: /update/i }).waitFor();
    await field(UPDATE_BLOCKS.impact).locator('textarea, input').first().fill('About 1 in 5 card payments fail');
    await field(UPDATE_BLOCKS.actions).locator('textarea, input').first().fill('Rolling back the 09:40 release');
    await screenshot(page, '3-update-modal');
    await modal().locator('button[type=submit]').click();
    await messages().locator('.message', { hasText: 'About 1 in 5 card payments fail' }).first().waitFor();
    if (await page.locator('#modal-backdrop').isVisible()) await modal().getByRole('button', { name: 'Close' }).click();
    await openChannel('payments-team');
    await messages().locator('.message', { hasText: 'About 1 in 5 card payments fail' }).first().waitFor();
    // The announcement in #incidents gets it in its thread.
    await openChannel('incidents');
    await messages().locator('.thread-link').first().click();
    await messages().locator('.thread .message', { hasText: 'About 1 in 5 card payments fail' }).first().waitFor();
  });

  it('fast-forwarding the clock brings the next update prompt to the comms lead', async () => {
    await page.getByRole('button', { name: '+15 min' }).click();
    await page.locator('#clock', { hasText: 'fast-forwarded 15 min' }).waitFor();
    await page.getByRole('button', { name: '+15 min' }).click();
    await page.locator('#clock', { hasText: 'fast-forwarded 30 min' }).waitFor();
    await openChannel('Herald');
    await messages().locator('.message', { hasText: /stakeholder update on .*is due/ }).first().waitFor();
    await screenshot(page, '4-update-prompt');
  });

  it('resolving asks for the review, and the review is written in its modal', async () => {
    await openChannel('inc-1-checkout-is-down');
    await type('/incident resolve');
    await messages().locator('.message.pinned', { hasText: /resolved/i }).waitFor();

    await type('/incident review');
    await modal().locator('.modal-title', { hasText: /review/i }).waitFor();
    await field(REVIEW_BLOCKS.summary).locator('textarea, input').first().fill('A release broke card payments for 1 in 5 customers');
    await field(REVIEW_BLOCKS.contributingFactors).locator('textarea, input').first().fill('The canary did not cover card payments');
    await screenshot(page, '5-review-modal');
    await modal().locator('button[type=submit]').click();
    // Herald answers with the saved review in the modal (response_action: update).
    await modal().locator('.modal-body', { hasText: /submitted|saved/i }).waitFor();
    await screenshot(page, '6-review-saved');
    await modal().getByRole('button', { name: 'Close' }).click();
    await page.locator('#modal-backdrop').waitFor({ state: 'hidden' });
  });

  it('fast-forwarding to Monday morning brings the weekly risk digest, with its chart', async () => {
    await openChannel('risk-digest');
    for (let day = 0; day < 8 && (await messages().locator('.message').count()) === 0; day += 1) {
      const before = await page.locator('#clock').innerText();
      await page.getByRole('button', { name: '+1 day' }).click();
      await eventually(async () => expect(await page.locator('#clock').innerText()).not.toBe(before));
      await eventually(async () => expect(await messages().locator('.message, .empty').count()).toBeGreaterThan(0));
    }
    await messages().locator('.message', { hasText: /digest/i }).first().waitFor();
    await messages().locator('.file img').first().waitFor();
    await screenshot(page, '8-risk-digest');
  });

  it('the Home tab shows the person their work and the service health', async () => {
    await page.locator('[data-home]').click();
    await page.locator('#title', { hasText: 'Home' }).waitFor();
    await messages().locator('.home', { hasText: /service health/i }).waitFor();
    expect(await messages().locator('.home').innerText()).toMatch(/Declare incident/i);
    await screenshot(page, '7-home-tab');
  });
});

describe("Herald's other forms, drawn by the page", () => {
  async function submitAndCloseTheAnswer(): Promise<void> {
    const before = await modal().locator('.modal-title').innerText();
    await modal().locator('button[type=submit]').click();
    // Herald either closes the form or answers in it (response_action: update).
    await eventually(async () => {
      const open = await page.locator('#modal-backdrop').isVisible();
      if (open) expect(await modal().locator('.modal-title').innerText()).not.toBe(before);
    });
    if (await page.locator('#modal-backdrop').isVisible()) await modal().getByRole('button', { name: 'Close' }).click();
    await page.locator('#modal-backdrop').waitFor({ state: 'hidden' });
  }

  it('the stakeholders form takes an owner, channels and people in its multi-selects', async () => {
    await openChannel('general');
    await type('/incident stakeholders Search');
    await field(STAKEHOLDER_BLOCKS.owner).waitFor();
    await field(STAKEHOLDER_BLOCKS.owner).locator('select').selectOption('U03CHIHIRO');
    await field(STAKEHOLDER_BLOCKS.channels).locator('select').selectOption(['CPAYMENTS', 'CINCIDENTS']);
    await field(STAKEHOLDER_BLOCKS.people).locator('select').selectOption(['U02BEN', 'U04DIEGO']);
    await submitAndCloseTheAnswer();
    await type('/incident stakeholders Search');
    await field(STAKEHOLDER_BLOCKS.owner).waitFor();
    expect(await field(STAKEHOLDER_BLOCKS.owner).locator('select').inputValue()).toBe('U03CHIHIRO');
    expect(await field(STAKEHOLDER_BLOCKS.people).locator('select option:checked').allInnerTexts()).toEqual(['ben (America/New_York)', 'diego (America/Los_Angeles)']);
    expect(await field(STAKEHOLDER_BLOCKS.channels).locator('select option:checked').allInnerTexts()).toEqual(['#incidents', '#payments-team']);
    await modal().getByRole('button', { name: 'Close' }).click();
  });

  it('the follow-up form takes an owner and a due date from its date picker', async () => {
    await openChannel('inc-1-checkout-is-down');
    await type('/incident followup Add a canary for card payments');
    await field(FOLLOW_UP_BLOCKS.due).waitFor();
    await field(FOLLOW_UP_BLOCKS.owner).locator('select').selectOption('U04DIEGO');
    await field(FOLLOW_UP_BLOCKS.due).locator('input[type=date]').fill('2026-12-31');
    await submitAndCloseTheAnswer();
    const before = await messages().locator('.message.note').count();
    await type('/incident followups all');
    await eventually(async () => expect(await messages().locator('.message.note').count()).toBeGreaterThan(before));
    const list = await messages().locator('.message.note').last().innerText();
    expect(list).toContain('Add a canary for card payments');
    expect(list).toMatch(/31 Dec|2026-12-31/);
  });
});

describe('The sandbox controls', () => {
  it('acting as another person shows their direct messages and their time zone', async () => {
    await page.locator('#person').selectOption('U02BEN');
    await page.locator('#clock', { hasText: 'America/New_York' }).waitFor();
    // ben is a stakeholder of Payments API: Herald sent him the update by DM.
    await openChannel('Herald');
    await messages().locator('.message', { hasText: 'About 1 in 5 card payments fail' }).first().waitFor();
    await page.locator('#person').selectOption('U01AMARA');
    await page.locator('#clock', { hasText: 'Europe/London' }).waitFor();
  });

  it('reset starts afresh: no incident channel, the clock back to now', async () => {
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('#reset').click();
    await eventually(async () => expect(await page.locator('#channels a').allInnerTexts()).toEqual(['# general', '# incidents', '# risk-digest', '# payments-team']));
    expect(await page.locator('#clock').innerText()).not.toMatch(/fast-forwarded/);
    await type('/incident declare After the reset');
    await modal().locator('.modal-title', { hasText: 'Declare' }).waitFor();
    await modal().getByRole('button', { name: 'Close' }).click();
    await page.locator('#modal-backdrop').waitFor({ state: 'hidden' });
  });
});
