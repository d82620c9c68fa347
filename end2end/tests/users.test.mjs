// Issue 2: the beheerder's user management and the audit trail, in a real browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, login, expectAccessible } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function createUser(page, { username, name, role, afnemer, password }) {
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Volledige naam').fill(name);
  await page.getByLabel('Rol', { exact: true }).selectOption(role);
  if (afnemer) await page.getByLabel('Organisatieonderdeel').selectOption({ label: afnemer });
  await page.getByLabel('Eerste wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Gebruiker aanmaken' }).click();
}

test('the beheerder creates, deactivates, re-activates and resets an account; the trail shows it', async () => {
  const { context, page } = await newPage(browser);
  await login(page, 'beheerder');
  await page.waitForURL('**/beheer');
  await page.goto('/beheer/gebruikers');
  await hydrated(page);
  await expectAccessible(page, 'user management');

  // A too short password is refused next to its field, and nothing is created.
  await createUser(page, {
    username: 'k.kort', name: 'Kees Kort', role: 'medewerker', afnemer: 'Leerplicht', password: 'kort',
  });
  await page.locator('#veld-wachtwoord-fout').waitFor();
  assert.match(await page.locator('#veld-wachtwoord-fout').innerText(), /minstens 12 tekens/);
  await expectAccessible(page, 'user form with errors');

  await createUser(page, {
    username: 'l.leerplicht', name: 'Lotte Leerplicht', role: 'medewerker', afnemer: 'Leerplicht',
    password: 'lang-genoeg-wachtwoord',
  });
  await page.waitForURL(/\/beheer\/gebruikers\/\d+\?melding=aangemaakt/);
  await page.locator('.alert--ok').waitFor();
  assert.equal(await page.locator('h1').innerText(), 'Lotte Leerplicht');
  await expectAccessible(page, 'user detail');

  // The new account logs in.
  const other = await newPage(browser);
  await login(other.page, 'l.leerplicht', 'lang-genoeg-wachtwoord');
  await other.page.waitForURL('**/werkplek');

  await hydrated(page);
  await page.getByRole('button', { name: 'Account deactiveren' }).click();
  await page.waitForURL(/melding=gedeactiveerd/);
  // Its open session ends at the next request.
  await other.page.goto('/werkplek');
  await other.page.waitForURL('**/inloggen');

  await hydrated(page);
  await page.getByRole('button', { name: 'Account heractiveren' }).click();
  await page.waitForURL(/melding=geactiveerd/);
  await hydrated(page);
  await page.getByLabel('Nieuw wachtwoord').fill('weer-een-nieuw-wachtwoord');
  await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
  await page.waitForURL(/melding=wachtwoord/);
  await login(other.page, 'l.leerplicht', 'weer-een-nieuw-wachtwoord');
  await other.page.waitForURL('**/werkplek');
  await other.context.close();

  await page.goto('/auditlog');
  await page.locator('table').waitFor();
  const rows = await page.locator('tbody tr').allInnerTexts();
  const mine = rows.filter((r) => r.includes('gebruiker l.leerplicht'));
  assert.match(mine[0], /Wachtwoord opnieuw ingesteld/);
  assert.match(mine[1], /Gebruiker opnieuw geactiveerd.*niet actief\s+actief/s);
  assert.match(mine[2], /Gebruiker gedeactiveerd.*actief\s+niet actief/s);
  assert.match(mine[3], /Gebruiker aangemaakt.*Lotte Leerplicht/s);
  assert.ok(mine.every((r) => r.includes('beheerder')));
  await expectAccessible(page, 'audit log');
  await context.close();
});

test('user management works with JavaScript disabled', async () => {
  const { context, page } = await newPage(browser, { js: false });
  await login(page, 'beheerder2', undefined, { js: false });
  await page.waitForURL('**/beheer');
  await page.goto('/beheer/gebruikers');
  // An error comes back on the re-rendered page.
  await createUser(page, {
    username: 'h.handhaving', name: 'Hans Handhaving', role: 'medewerker', password: 'lang-genoeg-wachtwoord',
  });
  await page.waitForURL(/\/beheer\/gebruikers\?.*__err=/);
  assert.match(await page.locator('#veld-afnemer-fout').innerText(), /organisatieonderdeel/);

  await createUser(page, {
    username: 'h.handhaving', name: 'Hans Handhaving', role: 'medewerker', afnemer: 'Handhaving',
    password: 'lang-genoeg-wachtwoord',
  });
  await page.waitForURL(/melding=aangemaakt/);
  assert.equal(await page.locator('h1').innerText(), 'Hans Handhaving');
  await page.getByRole('button', { name: 'Account deactiveren' }).click();
  await page.waitForURL(/melding=gedeactiveerd/);
  assert.match(await page.locator('.data-list').innerText(), /Gedeactiveerd/);
  await context.close();
});

test('the toezichthouder reads the audit trail but has no user management', async () => {
  const { context, page } = await newPage(browser);
  await login(page, 'toezichthouder');
  await page.waitForURL('**/toezicht');
  await page.goto('/auditlog');
  await page.locator('table').waitFor();
  assert.ok((await page.locator('tbody tr').count()) > 0);
  await expectAccessible(page, 'audit log for the toezichthouder');
  const r = await page.goto('/beheer/gebruikers');
  assert.equal(r.status(), 403);
  await context.close();
});
