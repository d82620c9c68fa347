// Issue 4: raadplegen in a real browser. The demo medewerker (raadplegen algemeen) searches
// the generated demo population by postcode and huisnummer, opens a person, sees exactly
// the profile's fields and the geheimhouding notice; the beheerder then finds those
// verstrekkingen in the protocol viewer. Also without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, login, expectAccessible } from './helpers.mjs';

// The first household of every generated population (brp-population's fixture).
const POSTCODE = '1991 AB';
const HUISNUMMER = '12';
const ZAAK = `Z-E2E-${Date.now()}`;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function as(user, { js = true } = {}) {
  const { context, page } = await newPage(browser, { js });
  await login(page, user, undefined, { js });
  await page.waitForURL(/\/(beheer|werkplek|toezicht)$/);
  return { context, page };
}

async function searchByAddress(page, { js }) {
  await page.goto('/raadplegen');
  if (js) await hydrated(page);
  // Earlier tests may have given the medewerker more grants: search under the general one.
  const choice = page.getByLabel('Autorisatie waaronder u zoekt');
  if (await choice.count()) {
    await choice.selectOption({ label: 'Profiel raadplegen algemeen (Team werk, inkomen en zorg)' });
    await page.getByRole('button', { name: 'Kiezen' }).click();
    await page.waitForURL(/autorisatie=\d+/);
    if (js) await hydrated(page);
  }
  await page.getByRole('link', { name: 'Zoeken op postcode en huisnummer' }).click();
  await page.waitForURL(/zoekvorm=ZoekMetPostcodeEnHuisnummer/);
  if (js) await hydrated(page);
  await page.getByLabel('Postcode', { exact: true }).fill(POSTCODE);
  await page.getByLabel('Huisnummer', { exact: true }).fill(HUISNUMMER);
  await page.getByLabel('Zaaknummer of kenmerk').fill(ZAAK);
  await page.getByRole('button', { name: 'Zoeken' }).click();
  await page.waitForURL(/zoek=1/);
  await page.locator('table caption', { hasText: 'Gevonden personen' }).waitFor();
}

test('the demo medewerker finds a household, opens a person with geheimhouding and sees only the profile fields; the beheerder finds it in the protocol', async () => {
  const m = await as('medewerker');
  await m.page.goto('/raadplegen');
  await hydrated(m.page);
  await expectAccessible(m.page, 'search form');

  await searchByAddress(m.page, { js: true });
  const rows = m.page.locator('table tbody tr');
  const count = await rows.count();
  assert.ok(count >= 3, `the fixture household has three persons, found ${count}`);
  // The general profile has no BSN: the list does not show one.
  assert.doesNotMatch(await m.page.locator('table').innerText(), /\b\d{9}\b/);
  await expectAccessible(m.page, 'search results');

  // Open the person with geheimhouding.
  const secret = rows.filter({ hasText: 'Geheimhouding' }).first();
  await secret.getByRole('link', { name: /^Bekijken / }).click();
  await m.page.waitForURL(/\/raadplegen\/persoon\/\d+$/);
  await hydrated(m.page);
  const notice = m.page.locator('.alert--warning', { hasText: 'Geheimhouding persoonsgegevens' });
  await notice.waitFor();
  assert.match(await notice.innerText(), /binnen de gemeente/);

  // Exactly the profile's data: naam, geboortedatum and -plaats, verblijfplaats, adressering.
  const labels = await m.page.locator('.person dl dt').allInnerTexts();
  for (const expected of ['Geslachtsnaam', 'Voornamen', 'Geboortedatum', 'Postcode', 'Huisnummer']) {
    assert.ok(labels.includes(expected), `${expected} is shown (${labels.join(', ')})`);
  }
  for (const forbidden of ['Burgerservicenummer', 'A-nummer', 'Geslacht', 'Nationaliteit', 'Geboorteland']) {
    assert.ok(!labels.includes(forbidden), `${forbidden} is not shown`);
  }
  assert.equal(await m.page.locator('h2', { hasText: /^Ouder|^Partner|^Kind/ }).count(), 0);
  await expectAccessible(m.page, 'person page');

  // The beheerder finds these verstrekkingen in the protocol.
  const b = await as('beheerder');
  await b.page.goto('/protocol');
  await hydrated(b.page);
  await b.page.getByLabel('Medewerker').selectOption({ label: 'Mila de Medewerker (medewerker)' });
  await b.page.getByRole('button', { name: 'Zoeken' }).click();
  await b.page.waitForURL(/medewerker=\d+/);
  const protocolRows = b.page.locator('table tbody tr', { hasText: ZAAK });
  await protocolRows.first().waitFor();
  assert.equal(await protocolRows.count(), count + 1, 'each listed person and the consult');
  assert.equal(await protocolRows.filter({ hasText: 'Zoeken op postcode en huisnummer' }).count(), count);
  assert.equal(await protocolRows.filter({ hasText: 'Raadplegen met burgerservicenummer' }).count(), 1);
  await expectAccessible(b.page, 'protocol viewer');

  const csvHref = await b.page.getByRole('link', { name: 'Exporteren als CSV' }).getAttribute('href');
  const csv = await b.page.request.get(csvHref);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /text\/csv/);
  assert.equal((await csv.text()).split('\r\n').filter((l) => l.includes(ZAAK)).length, count + 1);

  // The medewerker cannot read the protocol.
  await m.page.goto('/protocol');
  await m.page.getByRole('heading', { name: 'Geen toegang' }).waitFor();
  assert.equal((await m.page.request.get(csvHref)).status(), 403);

  await m.context.close();
  await b.context.close();
});

test('searching works without JavaScript', async () => {
  const m = await as('medewerker', { js: false });
  await searchByAddress(m.page, { js: false });
  assert.ok(await m.page.locator('table tbody tr').count() >= 3);
  await m.page.locator('table tbody tr').first().getByRole('link', { name: /^Bekijken / }).click();
  await m.page.waitForURL(/\/raadplegen\/persoon\/\d+$/);
  await m.page.locator('.person dl').first().waitFor();
  await m.context.close();
});
