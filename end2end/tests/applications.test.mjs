// Issue 11: task applications in the portal. A beheerder registers one and sees its secret
// once (never in a URL); a second beheerder approves the activation on /beheer/voorstellen;
// the list then shows it active. The API itself is tested over HTTP (server/tests).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, login, expectAccessible } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Unique per run, so the test also passes against a database that kept earlier runs.
const suffix = Date.now().toString(36);

async function register(page, clientId, name) {
  await page.getByLabel('Client id').fill(clientId);
  await page.getByLabel('Naam', { exact: true }).fill(name);
  await page.getByLabel('Afnemer').selectOption({ label: 'Team werk, inkomen en zorg' });
  await page.getByLabel('Contact').fill('applicatiebeheer@voorbeeld.example');
  await page.getByRole('button', { name: 'Registreren en activering voorstellen' }).click();
  await page.waitForURL(/\/beheer\/applicaties\/\d+\?melding=geregistreerd$/);
}

test('a beheerder registers an application and sees its secret once; beheerder2 activates it', async () => {
  const clientId = `e2e-sociaal-${suffix}`;
  const { context, page } = await newPage(browser);
  await login(page, 'beheerder');
  await page.waitForURL('**/beheer');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Taakapplicaties' }).click();
  await page.waitForURL('**/beheer/applicaties');
  await hydrated(page);
  await expectAccessible(page, 'applications list with the register form');
  await register(page, clientId, 'Sociaal domein e2e');

  const secretBox = page.getByTestId('client-secret');
  await secretBox.waitFor();
  const secret = (await secretBox.innerText()).trim();
  assert.match(secret, /^[0-9a-f]{64}$/);
  assert.ok(!page.url().includes(secret), 'the secret is never in the URL');
  const main = await page.locator('main').innerText();
  assert.match(main, /alleen nu zichtbaar/i);
  assert.match(main, /tweede beheerder/i);
  assert.match(main, /Wacht op activering/);
  await hydrated(page);
  await expectAccessible(page, 'application page with the one-time secret');

  // Once: a reload shows the page without the secret.
  await page.reload();
  await hydrated(page);
  await page.locator('h1', { hasText: 'Sociaal domein e2e' }).waitFor();
  assert.equal(await page.getByTestId('client-secret').count(), 0);
  assert.ok(!(await page.content()).includes(secret), 'not in the page any more');

  // The proposer cannot approve the activation.
  await page.goto('/beheer/voorstellen');
  await hydrated(page);
  const own = page.locator('li.card', { hasText: `taakapplicatie ${clientId}` });
  await own.waitFor();
  assert.equal(await own.getByRole('button', { name: 'Goedkeuren' }).count(), 0);
  await context.close();

  // A second beheerder approves it, here without JavaScript.
  const second = await newPage(browser, { js: false });
  await login(second.page, 'beheerder2', undefined, { js: false });
  await second.page.waitForURL('**/beheer');
  await second.page.goto('/beheer/voorstellen');
  const pending = second.page.locator('li.card', { hasText: `taakapplicatie ${clientId}` });
  assert.match(await pending.innerText(), /Taakapplicatie activeren/);
  await pending.getByRole('button', { name: 'Goedkeuren' }).click();
  await second.page.waitForURL(/melding=goedgekeurd/);

  await second.page.goto('/beheer/applicaties');
  const row = second.page.locator('tr', { hasText: clientId });
  const text = await row.innerText();
  assert.match(text, /Actief/);
  assert.doesNotMatch(text, /Wacht op activering|Niet actief/);
  assert.match(text, /Team werk, inkomen en zorg/);
  assert.match(text, /nooit/, 'not used yet');
  await second.context.close();
});

test('without JavaScript the secret is shown once too, and not in the URL', async () => {
  const clientId = `e2e-zonder-js-${suffix}`;
  const { context, page } = await newPage(browser, { js: false });
  await login(page, 'beheerder', undefined, { js: false });
  await page.waitForURL('**/beheer');
  await page.goto('/beheer/applicaties');
  await register(page, clientId, 'Zonder JavaScript e2e');
  const secret = (await page.getByTestId('client-secret').innerText()).trim();
  assert.match(secret, /^[0-9a-f]{64}$/);
  assert.ok(!page.url().includes(secret));
  await page.reload();
  await page.locator('h1', { hasText: 'Zonder JavaScript e2e' }).waitFor();
  assert.equal(await page.getByTestId('client-secret').count(), 0);

  // A wrong client id comes back with the message at the field.
  await page.goto('/beheer/applicaties');
  await page.getByLabel('Client id').fill('Geen Geldige Id!');
  await page.getByLabel('Naam', { exact: true }).fill('Fout e2e');
  await page.getByLabel('Contact').fill('iemand');
  await page.getByRole('button', { name: 'Registreren en activering voorstellen' }).click();
  await page.locator('#veld-client_id-fout').waitFor();
  assert.equal(await page.getByLabel('Client id').getAttribute('aria-invalid'), 'true');
  await context.close();
});
