// Issue 3: autorisatiebeheer in a real browser: a medewerker's request, four eyes on
// requests and on profile changes, the written notice, and the forms without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, hydrated, login, expectAccessible } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function as(user, { js = true } = {}) {
  const { context, page } = await newPage(browser, { js });
  await login(page, user, undefined, { js });
  await page.waitForURL(/\/(beheer|werkplek|toezicht)$/);
  return { context, page };
}

async function requestProfile(page, profile, motivation, signature) {
  await page.goto('/autorisaties/aanvragen/nieuw');
  await page.getByLabel('Autorisatieprofiel').selectOption({ label: profile });
  await page.getByLabel('Motivering').fill(motivation);
  await page.getByLabel('Onderteken door uw volledige naam te typen').fill(signature);
  await page.getByRole('button', { name: 'Aanvraag ondertekenen en indienen' }).click();
  await page.waitForURL(/\/autorisaties\/aanvragen\/(\d+)\?melding=ingediend/);
  return Number(new URL(page.url()).pathname.split('/').pop());
}

test('a medewerker requests a profile, beheerder cannot decide its own request, beheerder2 grants, the medewerker reads the letter', async () => {
  // The medewerker asks for "raadplegen Soza", a profile of her own department (a profile of
  // another department is not offered, and refused if posted).
  const m = await as('medewerker');
  await m.page.goto('/autorisaties/aanvragen/nieuw');
  await hydrated(m.page);
  await expectAccessible(m.page, 'request form');
  // A wrong signature is refused next to its field.
  await m.page.getByLabel('Autorisatieprofiel').selectOption({ label: 'Profiel raadplegen t.b.v. administraties Soza (Team werk, inkomen en zorg)' });
  await m.page.getByLabel('Motivering').fill('Controle van aanslagen gemeentelijke belastingen.');
  await m.page.getByLabel('Onderteken door uw volledige naam te typen').fill('Iemand Anders');
  await m.page.getByRole('button', { name: 'Aanvraag ondertekenen en indienen' }).click();
  await m.page.locator('#veld-ondertekening-fout').waitFor();
  assert.match(await m.page.locator('#veld-ondertekening-fout').innerText(), /precies zoals/);

  await hydrated(m.page);
  const requestId = await requestProfile(
    m.page,
    'Profiel raadplegen t.b.v. administraties Soza (Team werk, inkomen en zorg)',
    'Controle van aanslagen gemeentelijke belastingen.',
    'Mila de Medewerker',
  );
  assert.match(await m.page.locator('.alert--ok').innerText(), /ingediend/);
  assert.match(await m.page.locator('.signed-text').innerText(), /Ondertekend door Mila de Medewerker/);
  await expectAccessible(m.page, 'my request');

  // beheerder asks for a profile too, and cannot decide on it.
  const b = await as('beheerder');
  await hydrated(b.page);
  const ownId = await requestProfile(
    b.page,
    'Profiel baliemedewerker Burgerzaken (Team Burgerzaken)',
    'Vervanging aan de balie.',
    'Bea Beheer',
  );
  await b.page.goto(`/beheer/aanvragen/${ownId}`);
  assert.match(await b.page.locator('main').innerText(), /uw eigen aanvraag/);
  assert.equal(await b.page.getByRole('button', { name: 'Toekennen' }).count(), 0);
  await expectAccessible(b.page, 'own request, beheer view');
  // Even by a direct POST.
  const direct = await b.context.request.post('/api/aanvraag_besluit', {
    headers: { Origin: BASE }, form: { id: String(ownId), besluit: 'toekennen', reden: '' },
  });
  assert.equal(direct.status(), 409);

  await b.page.goto('/beheer/aanvragen');
  await expectAccessible(b.page, 'request queue');
  await b.context.close();

  // beheerder2 grants the medewerker's request.
  const b2 = await as('beheerder2');
  await b2.page.goto(`/beheer/aanvragen/${requestId}`);
  await hydrated(b2.page);
  await expectAccessible(b2.page, 'request decision');
  await b2.page.getByRole('button', { name: 'Toekennen' }).click();
  await b2.page.waitForURL(/melding=toegekend/);
  await b2.page.locator('.alert--ok').waitFor();
  assert.match(await b2.page.locator('.data-list').first().innerText(), /Toegekend/);
  // The e-mail is in the outbox.
  await b2.page.goto('/beheer/uitgaande-post');
  assert.match(await b2.page.locator('main').innerText(), /Schriftelijk bericht van de toegekende autorisatie/);
  assert.match(await b2.page.locator('main').innerText(), /medewerker@voorbeeld\.example/);
  await expectAccessible(b2.page, 'outbox');
  await b2.page.goto('/beheer/autorisaties');
  assert.match(await b2.page.locator('tbody').innerText(), /Profiel raadplegen t\.b\.v\. administraties Soza/);
  await expectAccessible(b2.page, 'grants overview');
  await b2.context.close();

  // The medewerker sees the grant and reads the letter. Wait for hydration first: a click
  // that lands while the page hydrates can be lost.
  await m.page.goto('/autorisaties');
  await hydrated(m.page);
  const grants = await m.page.locator('section[aria-labelledby="toegekend-titel"]').innerText();
  assert.match(grants, /Profiel raadplegen t\.b\.v\. administraties Soza/);
  await expectAccessible(m.page, 'my authorisations');
  await m.page.getByRole('link', { name: /Schriftelijk bericht van de toegekende autorisatie/ }).click();
  await m.page.waitForURL(/\/berichten\/\d+/);
  const letter = await m.page.locator('.letter').innerText();
  assert.match(letter, /Mila de Medewerker/);
  assert.match(letter, /Profiel raadplegen t\.b\.v\. administraties Soza/);
  assert.match(letter, /Team werk, inkomen en zorg/);
  assert.match(letter, /Bart van den Beheer/);
  assert.match(letter, /Geldig tot en met/);
  await expectAccessible(m.page, 'letter');
  await m.context.close();
});

test('a profile change by beheerder takes effect only after beheerder2 approves it', async () => {
  const b = await as('beheerder');
  await b.page.goto('/beheer/profielen');
  await b.page.getByRole('link', { name: 'Profiel raadplegen algemeen' }).click();
  await b.page.waitForURL(/\/beheer\/profielen\/\d+$/);
  const profileUrl = new URL(b.page.url()).pathname;
  await b.page.getByRole('link', { name: 'Wijziging voorstellen' }).click();
  await b.page.waitForURL(/wijzigen$/);
  await hydrated(b.page);
  await expectAccessible(b.page, 'profile change form');
  await b.page.getByLabel('Burgerservicenummer (01.01.20)').check();
  await b.page.getByLabel('Toelichting voor de tweede beheerder').fill('BSN nodig voor koppeling met de uitkeringsadministratie.');
  await b.page.getByRole('button', { name: 'Wijziging voorstellen' }).click();
  await b.page.waitForURL(/melding=voorgesteld/);
  const panel = b.page.locator('.panel');
  assert.match(await panel.innerText(), /Verruiming/);
  assert.match(await panel.innerText(), /Burgerservicenummer/);
  assert.match(await panel.innerText(), /zelf voor/);
  assert.equal(await b.page.getByRole('button', { name: 'Goedkeuren' }).count(), 0);
  await expectAccessible(b.page, 'profile with pending version');
  await b.context.close();

  const b2 = await as('beheerder2');
  await b2.page.goto(profileUrl);
  await hydrated(b2.page);
  await b2.page.getByRole('button', { name: 'Goedkeuren' }).click();
  await b2.page.waitForURL(/melding=goedgekeurd/);
  await b2.page.locator('#geldend-titel').waitFor();
  assert.match(await b2.page.locator('#geldend-titel').innerText(), /Geldende versie: 2/);
  // The demo medewerker's grant was confirmed on version 1: the widening waits.
  await b2.page.goto('/beheer/autorisaties');
  const row = b2.page.locator('tbody tr', { hasText: 'Mila de Medewerker' }).filter({ hasText: 'raadplegen algemeen' });
  assert.match(await row.innerText(), /verruiming wacht op herbevestiging/);
  await b2.context.close();
});

test('the request form and withdrawing work with JavaScript disabled', async () => {
  const m = await as('medewerker', { js: false });
  const id = await requestProfile(
    m.page,
    'Profiel raadplegen algemeen (Team werk, inkomen en zorg)',
    'Vervanging van een collega.',
    'mila de medewerker',
  );
  await m.page.getByRole('button', { name: 'Aanvraag intrekken' }).click();
  await m.page.waitForURL(`**/autorisaties/aanvragen/${id}?melding=ingetrokken`);
  assert.match(await m.page.locator('.data-list').innerText(), /Ingetrokken/);
  // An error without JavaScript comes back on the page.
  await m.page.goto('/autorisaties/aanvragen/nieuw');
  await m.page.getByLabel('Motivering').fill('Test');
  await m.page.getByLabel('Gewenste einddatum').fill('2099-01-01');
  await m.page.getByLabel('Onderteken door uw volledige naam te typen').fill('Mila de Medewerker');
  await m.page.getByRole('button', { name: 'Aanvraag ondertekenen en indienen' }).click();
  // The plain form post comes back to the form with the error in the address.
  await m.page.waitForURL(/\/autorisaties\/aanvragen\/nieuw\?.*__err=/);
  assert.match(await m.page.locator('#veld-einddatum-fout').innerText(), /hoogstens een jaar/);
  await m.context.close();
});

test('a medewerker is refused every beheerder action of autorisatiebeheer', async () => {
  const m = await as('medewerker');
  for (const [fn, form] of [
    ['register/afnemer_opslaan', { naam: 'Indringers', wettelijk_kader: '', soort: 'binnengemeentelijk' }],
    ['register/grondslag_aanmaken', { wet: 'Geen', artikel: '1' }],
    ['profiel_besluit', { id: '1', versie: '1', besluit: 'goedkeuren' }],
    ['aanvraag_besluit', { id: '1', besluit: 'toekennen' }],
    ['autorisatie_actie', { id: '1', actie: 'intrekken', reden: 'x' }],
    ['aanvragen', { alleen_open: 'false' }],
    ['uitgaande_post', {}],
  ]) {
    const r = await m.context.request.post(`/api/${fn}`, { headers: { Origin: BASE }, form });
    assert.equal(r.status(), 403, fn);
  }
  const page = await m.page.goto('/beheer/profielen');
  assert.equal(page.status(), 403);
  await m.context.close();
});

test('the reglement bijlagen are public, dated and accessible', async () => {
  const { context, page } = await newPage(browser);
  const r = await page.goto('/reglement');
  assert.equal(r.status(), 200);
  const text = await page.locator('main').innerText();
  assert.match(text, /Bijlage 1: binnengemeentelijke afnemers/);
  // Derden and vrije derden are listed apart, not as departments of the municipality.
  assert.match(text, /Bijlage 4: vrije derden/);
  assert.match(text, /Participatiewet/);
  assert.match(text, /Profiel raadplegen financiën \(versie 1\)/);
  assert.match(text, /Opgesteld uit de geldende configuratie van het BRP-portaal op \d+ \w+ \d{4}/);
  await expectAccessible(page, 'reglement');
  await context.close();
});
