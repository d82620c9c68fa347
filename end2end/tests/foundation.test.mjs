// Issue 2: accounts, roles and sessions, in a real browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, DEMO_PASSWORD, launch, newPage, hydrated, login, expectAccessible, sessionCookie,
} from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const START = { beheerder: '/beheer', beheerder2: '/beheer', medewerker: '/werkplek', toezichthouder: '/toezicht' };

test('every demo role logs in and lands on its start page, without axe violations', async () => {
  for (const [user, path] of Object.entries(START)) {
    const { context, page } = await newPage(browser);
    await login(page, user);
    await page.waitForURL(`**${path}`);
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: /^Welkom/ }).waitFor());
    // The header shows who is logged in, and a demo banner marks the environment.
    assert.match(await page.locator('.page-header__user').innerText(), /\(/);
    assert.match(await page.locator('.demo-banner').innerText(), /Demo-omgeving/);
    await expectAccessible(page, `start page of ${user}`);
    await context.close();
  }
});

test('the login page has no axe violations and lists the demo accounts', async () => {
  const { context, page } = await newPage(browser);
  await page.goto('/inloggen');
  await hydrated(page);
  assert.match(await page.locator('.demo-accounts').innerText(), /demo-demo-demo/);
  await expectAccessible(page, 'login page');
  await context.close();
});

test('a wrong password shows a Dutch error that does not say which part was wrong', async () => {
  const { context, page } = await newPage(browser);
  await login(page, 'toezichthouder', 'helemaal-fout-wachtwoord');
  const alert = page.locator('.alert--error');
  await alert.waitFor();
  assert.match(await alert.innerText(), /combinatie van gebruikersnaam en wachtwoord is onjuist/);
  assert.equal(new URL(page.url()).pathname, '/inloggen');
  await expectAccessible(page, 'login page with error');
  await context.close();
});

test('the login form works with JavaScript disabled', async () => {
  const { context, page } = await newPage(browser, { js: false });
  await login(page, 'toezichthouder', 'nog-een-fout-wachtwoord', { js: false });
  await page.waitForURL(/\/inloggen\?.*__err=/);
  assert.match(await page.locator('.alert--error').innerText(), /onjuist/);

  await login(page, 'beheerder', DEMO_PASSWORD, { js: false });
  await page.waitForURL('**/beheer');
  assert.match(await page.locator('h1').innerText(), /Welkom, Bea Beheer/);
  await context.close();
});

test('a medewerker is refused the beheerder pages and the beheerder server functions', async () => {
  const { context, page } = await newPage(browser);
  await login(page, 'medewerker');
  await page.waitForURL('**/werkplek');

  const response = await page.goto('/beheer/gebruikers');
  assert.equal(response.status(), 403);
  assert.equal(await page.locator('h1').innerText(), 'Geen toegang');
  // The navigation offers the medewerker no beheer pages.
  assert.equal(await page.getByRole('link', { name: 'Gebruikers' }).count(), 0);

  // As an attacker would: a plain POST to the server function, with the medewerker's
  // valid session and a correct Origin, trying to create a beheerder account.
  const attack = await context.request.post('/api/gebruiker_aanmaken', {
    headers: { Origin: BASE },
    form: {
      gebruikersnaam: 'indringer', naam: 'Indringer', email: '', rol: 'beheerder',
      afnemer: '', wachtwoord: 'overgenomen-portaal',
    },
  });
  assert.equal(attack.status(), 403);
  assert.match(await attack.text(), /Forbidden/);
  for (const [fn, form] of [
    ['gebruikers', {}],
    ['gebruiker_status', { id: '1', actief: 'false' }],
    ['wachtwoord_herstellen', { id: '1', wachtwoord: 'overgenomen-portaal' }],
  ]) {
    const r = await context.request.post(`/api/${fn}`, { headers: { Origin: BASE }, form });
    assert.equal(r.status(), 403, fn);
  }
  await context.close();

  // Nothing changed: the account does not exist and the beheerder can still log in.
  const admin = await newPage(browser);
  await login(admin.page, 'beheerder');
  await admin.page.waitForURL('**/beheer');
  await admin.page.goto('/beheer/gebruikers');
  await admin.page.locator('table').first().waitFor();
  assert.equal(await admin.page.getByRole('link', { name: 'indringer' }).count(), 0);
  await admin.context.close();
});

test('a POST from another origin is refused', async () => {
  const { context, page } = await newPage(browser);
  await login(page, 'beheerder');
  await page.waitForURL('**/beheer');
  const r = await context.request.post('/api/gebruikers', {
    headers: { Origin: 'https://kwaadwillend.example' },
  });
  assert.equal(r.status(), 403);
  assert.match(await r.text(), /niet van dit portaal/);
  await context.close();
});

test('after logout the old session cookie is rejected', async () => {
  const { context, page } = await newPage(browser);
  await login(page, 'toezichthouder');
  await page.waitForURL('**/toezicht');
  const old = await sessionCookie(context);
  assert.ok(old, 'a session cookie is set');
  assert.equal(old.httpOnly, true);
  assert.equal(old.sameSite, 'Strict');

  await hydrated(page);
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await page.waitForURL('**/inloggen?uitgelogd=1');
  assert.match(await page.locator('.alert--ok').innerText(), /uitgelogd/);

  // Replay the old cookie in a fresh context: the server no longer knows the session.
  const replay = await newPage(browser);
  await replay.context.addCookies([{ ...old }]);
  const r = await replay.context.request.post('/api/auditlog', { headers: { Origin: BASE }, form: {} });
  assert.equal(r.status(), 401);
  await replay.page.goto('/toezicht');
  await replay.page.waitForURL('**/inloggen');
  await replay.context.close();
  await context.close();
});

test('the session id changes at login', async () => {
  const { context, page } = await newPage(browser);
  await page.goto('/inloggen');
  await hydrated(page);
  // Plant a session first (as a fixation attacker would), then log in.
  await context.addCookies([{ name: 'brp_sessie', value: 'vastgezet-sessie-id', url: BASE }]);
  await login(page, 'toezichthouder');
  await page.waitForURL('**/toezicht');
  const after = await sessionCookie(context);
  assert.notEqual(after.value, 'vastgezet-sessie-id');
  await context.close();
});
