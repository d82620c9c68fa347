// Issue 10: four eyes on privileged accounts, in a real browser. The one-time link itself is
// tested over HTTP (server/tests/four_eyes.rs): the outbox shown here never reveals it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, login, expectAccessible } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a beheerder proposes a new beheerder, cannot approve it, and beheerder2 approves it without JavaScript', async () => {
  const { context, page } = await newPage(browser);
  await login(page, 'beheerder');
  await page.waitForURL('**/beheer');
  await page.goto('/beheer/gebruikers');
  await hydrated(page);
  await page.getByLabel('Gebruikersnaam').fill('n.nieuwkomer');
  await page.getByLabel('Volledige naam').fill('Nina Nieuwkomer');
  await page.getByLabel('E-mailadres').fill('n.nieuwkomer@voorbeeld.example');
  await page.getByLabel('Rol', { exact: true }).selectOption('beheerder');
  await page.getByLabel('Organisatieonderdeel').selectOption({ label: 'Team Burgerzaken' });
  await page.getByRole('button', { name: 'Gebruiker aanmaken of voorstellen' }).click();
  await page.waitForURL(/\/beheer\/voorstellen\?melding=voorgesteld/);
  const card = page.locator('li.card', { hasText: 'n.nieuwkomer' });
  await card.waitFor();
  // The proposer sees the proposal but no way to approve it.
  assert.equal(await card.getByRole('button', { name: 'Goedkeuren' }).count(), 0);
  await expectAccessible(page, 'proposals, as the proposer');
  await context.close();

  // The new account cannot log in before a second beheerder approves and the owner sets a
  // password through the link.
  const second = await newPage(browser, { js: false });
  await login(second.page, 'beheerder2', undefined, { js: false });
  await second.page.waitForURL('**/beheer');
  await second.page.goto('/beheer/voorstellen');
  const pending = second.page.locator('li.card', { hasText: 'n.nieuwkomer' });
  await pending.getByRole('button', { name: 'Goedkeuren' }).click();
  await second.page.waitForURL(/melding=goedgekeurd/);
  assert.match(await second.page.locator('li.card', { hasText: 'n.nieuwkomer' }).innerText(), /goedgekeurd/i);

  // The outbox holds the mail to the new beheerder, but not the token.
  await second.page.goto('/beheer/uitgaande-post');
  const outbox = await second.page.locator('main').textContent();
  assert.match(outbox, /n\.nieuwkomer@voorbeeld\.example/);
  assert.match(outbox, /\[verborgen\]/);
  assert.doesNotMatch(outbox, /wachtwoord-instellen\/[A-Za-z0-9_-]{16,}/);
  await second.context.close();
});

test('a set-password link that does not exist is refused with a clear message', async () => {
  const { context, page } = await newPage(browser);
  await page.goto('/wachtwoord-instellen/bestaat-niet-0123456789');
  await hydrated(page);
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('een-lang-genoeg-wachtwoord');
  await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
  await page.locator('[role="alert"]').first().waitFor();
  assert.match(await page.locator('main').innerText(), /link|verlopen|ongeldig|niet/i);
  await expectAccessible(page, 'set-password page with an error');
  await context.close();
});
