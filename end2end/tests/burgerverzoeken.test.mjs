// Issue 5: burgerverzoeken in a real browser. Citizens of the fixture household log in
// through the DigiD-simulatie: Jeroen asks a correctie with an attachment, the beheerder
// extends the term and grants it, Jeroen sees the status, the deadline and the letter;
// Noëlle asks inzage and sees, in the overview, the lookup a medewerker made minutes
// earlier. Every citizen form also works without JavaScript. axe-core on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, login, expectAccessible } from './helpers.mjs';

// The fixture household (brp-population): father, mother (with geheimhouding), child.
const JEROEN = '199101206';
const NOELLE = '199101218';
const DAAN = '199101231';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus',
  'september', 'oktober', 'november', 'december'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** "29 december 2026" → a Date (UTC midnight). */
function dutchDate(text) {
  const m = text.match(/(\d{1,2}) ([a-z]+) (\d{4})/);
  assert.ok(m, `a Dutch date in "${text}"`);
  return new Date(Date.UTC(Number(m[3]), MONTHS.indexOf(m[2]), Number(m[1])));
}

/** The text of a data-list value by its term. */
async function fact(page, term) {
  return page.locator('dl.data-list dt', { hasText: term }).first().locator('xpath=following-sibling::dd[1]').innerText();
}

async function asCitizen(bsn, { js = true } = {}) {
  const { context, page } = await newPage(browser, { js });
  await page.goto('/inwoner/digid-simulatie');
  if (js) await hydrated(page);
  await page.getByLabel('Persoon').selectOption(bsn);
  await page.getByLabel('Betrouwbaarheidsniveau').selectOption('substantieel');
  await page.getByRole('button', { name: 'Inloggen (simulatie)' }).click();
  await page.waitForURL(/\/inwoner$/);
  await page.getByRole('heading', { name: 'Een verzoek doen' }).waitFor();
  if (js) await hydrated(page);
  return { context, page };
}

async function asStaff(user, { js = true } = {}) {
  const { context, page } = await newPage(browser, { js });
  await login(page, user, undefined, { js });
  await page.waitForURL(/\/(beheer|werkplek|toezicht)$/);
  return { context, page };
}

/** Opens the beheerder's page of the request with this reference. */
async function openInQueue(page, reference, { js = true } = {}) {
  await page.goto('/beheer/burgerverzoeken');
  if (js) await hydrated(page);
  await page.getByRole('link', { name: reference }).click();
  await page.waitForURL(/\/beheer\/burgerverzoeken\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: new RegExp(`Verzoek ${reference}`) }).waitFor();
  if (js) await hydrated(page);
}

test('a correctie with an attachment is extended and granted; the citizen sees status, deadline and letter', async () => {
  // Logged out, the portal explains the rights and offers the simulation (demo).
  const anon = await newPage(browser);
  await anon.page.goto('/inwoner');
  await hydrated(anon.page);
  await anon.page.getByRole('link', { name: 'DigiD-simulatie' }).waitFor();
  await expectAccessible(anon.page, 'citizen start, logged out');
  await anon.page.goto('/inwoner/digid-simulatie');
  await hydrated(anon.page);
  await expectAccessible(anon.page, 'DigiD-simulatie');
  await anon.context.close();

  const c = await asCitizen(JEROEN);
  assert.match(await c.page.locator('.page-header').innerText(), /Jeroen Willem van Oosterhout \(DigiD Substantieel\)/);
  await expectAccessible(c.page, 'citizen start');
  await c.page.getByRole('link', { name: 'Correctie van een gegeven' }).click();
  await c.page.waitForURL(/soort=correctie/);
  await hydrated(c.page);
  await expectAccessible(c.page, 'correctie form');
  await c.page.getByLabel('Welk gegeven klopt niet?').selectOption('naam.voornamen');
  await c.page.getByLabel('Wat moet het zijn?').fill('Jeroen Willem Maria');
  await c.page.getByLabel('Waarom klopt het gegeven niet?').fill('Mijn derde voornaam ontbreekt; zie de geboorteakte.');
  await c.page.setInputFiles('#veld-bijlagen', { name: 'geboorteakte.png', mimeType: 'image/png', buffer: PNG });
  await c.page.getByLabel('Laat de organisaties die het oude gegeven kregen weten dat het is verbeterd').check();
  await c.page.getByLabel('E-mailadres voor berichten').fill('jeroen@voorbeeld.example');
  await c.page.getByRole('button', { name: 'Verzoek indienen' }).click();
  await c.page.waitForURL(/\/inwoner\/verzoeken\/[0-9a-f-]{36}\?melding=ingediend$/);
  await hydrated(c.page);
  const reference = (await c.page.getByRole('heading', { level: 1 }).innerText()).replace('Verzoek ', '');
  assert.match(reference, /^BV-\d{4}-[0-9A-Z]{6}$/);
  assert.equal(await fact(c.page, 'Status'), 'Ontvangen');
  const first = dutchDate(await fact(c.page, 'Besluit uiterlijk'));
  assert.match(await fact(c.page, 'Besluit uiterlijk'), /\(nog \d+ dagen\)/);
  await c.page.getByRole('link', { name: /geboorteakte\.png/ }).waitFor();
  await c.page.getByRole('link', { name: 'Ontvangstbevestiging van uw verzoek' }).waitFor();
  await expectAccessible(c.page, 'citizen request status');
  const statusUrl = c.page.url().split('?')[0];

  // The beheerder finds it in the queue, extends the term, then grants.
  const b = await asStaff('beheerder');
  await b.page.goto('/beheer/burgerverzoeken');
  await hydrated(b.page);
  await expectAccessible(b.page, 'citizen request queue');
  await openInQueue(b.page, reference);
  await expectAccessible(b.page, 'citizen request, beheer view');
  const att = await b.page.getByRole('link', { name: /geboorteakte\.png/ }).getAttribute('href');
  const download = await b.page.request.get(att);
  assert.equal(download.status(), 200);
  assert.equal(download.headers()['content-type'], 'image/png');
  assert.deepEqual(Buffer.from(await download.body()), PNG);

  await b.page.getByRole('button', { name: 'Dit verzoek zelf behandelen' }).click();
  await b.page.waitForURL(/melding=opgepakt/);
  await hydrated(b.page);
  await b.page.getByLabel('Reden').selectOption('burgerlijke_staat');
  await b.page.getByLabel('Toelichting voor de inwoner').fill('Wij vragen de akte op bij de gemeente van geboorte.');
  await b.page.getByRole('button', { name: 'Termijn verlengen' }).click();
  await b.page.waitForURL(/melding=verlengd/);
  await hydrated(b.page);
  await b.page.getByLabel('Beslissing').selectOption('toegekend');
  assert.equal(await b.page.getByLabel('Nieuwe waarde').inputValue(), 'Jeroen Willem Maria');
  await b.page.getByLabel('Motivering').fill('De geboorteakte noemt drie voornamen.');
  await b.page.getByRole('button', { name: 'Besluit nemen en brief versturen' }).click();
  await b.page.waitForURL(/melding=besloten/);
  await b.page.locator('li', { hasText: "Voornamen: ‘Jeroen Willem’ werd ‘Jeroen Willem Maria’" }).waitFor();
  await b.page.getByRole('heading', { name: 'Eerdere ontvangers (Wet BRP 3.23)' }).waitFor();

  // The citizen sees the new status, the later deadline, the reason, and the letters.
  await c.page.goto(statusUrl);
  await hydrated(c.page);
  assert.equal(await fact(c.page, 'Status'), 'Afgehandeld: toegekend');
  const extended = dutchDate(await fact(c.page, 'Termijn was'));
  const days = (extended - first) / 86_400_000;
  assert.ok(days >= 52 && days <= 60, `eight weeks later (${days} days)`);
  await c.page.locator('.history li', { hasText: 'burgerlijke staat' }).waitFor();
  await c.page.getByRole('link', { name: 'Wij hebben meer tijd nodig voor uw verzoek' }).waitFor();
  await expectAccessible(c.page, 'citizen request, decided');
  await c.page.getByRole('link', { name: /Besluit op uw verzoek/ }).click();
  await c.page.waitForURL(/\/inwoner\/brieven\//);
  const letter = c.page.locator('.letter');
  await letter.waitFor();
  const text = await letter.innerText();
  assert.match(text, /Wij hebben het gegeven aangepast zoals u vroeg\./);
  assert.match(text, /artikel 2\.58 van de Wet basisregistratie personen/);
  assert.match(text, /Jeroen Willem Maria/);
  assert.match(text, new RegExp(reference));
  assert.doesNotMatch(text, /binnen 6 weken/);
  await hydrated(c.page);
  await c.page.getByRole('button', { name: 'Afdrukken' }).waitFor();
  await expectAccessible(c.page, 'decision letter');
  const file = await c.page.request.get(await c.page.getByRole('link', { name: 'Brief downloaden' }).getAttribute('href'));
  assert.equal(file.status(), 200);
  assert.match(file.headers()['content-disposition'], /attachment; filename="BV-.*-besluit\.html"/);

  await c.context.close();
  await b.context.close();
});

test('an inzage shows the overview of verstrekkingen with a lookup made minutes before', async () => {
  // A medewerker looks the household up.
  const m = await asStaff('medewerker');
  await m.page.goto('/raadplegen');
  await hydrated(m.page);
  const choice = m.page.getByLabel('Autorisatie waaronder u zoekt');
  if (await choice.count()) {
    await choice.selectOption({ label: 'Profiel raadplegen algemeen (Team werk, inkomen en zorg)' });
    await m.page.getByRole('button', { name: 'Kiezen' }).click();
    await m.page.waitForURL(/autorisatie=\d+/);
    await hydrated(m.page);
  }
  await m.page.getByRole('link', { name: 'Zoeken op postcode en huisnummer' }).click();
  await m.page.waitForURL(/zoekvorm=ZoekMetPostcodeEnHuisnummer/);
  await hydrated(m.page);
  const doelen = (await m.page.getByLabel('Doel van deze bevraging').locator('option').allInnerTexts())
    .filter((d) => d !== 'Kies een doel');
  const doel = doelen[0];
  await m.page.getByLabel('Doel van deze bevraging').selectOption({ label: doel });
  await m.page.getByLabel('Postcode', { exact: true }).fill('1991 AB');
  await m.page.getByLabel('Huisnummer', { exact: true }).fill('12');
  await m.page.getByRole('button', { name: 'Zoeken' }).click();
  await m.page.locator('table caption', { hasText: 'Gevonden personen' }).waitFor();
  await m.context.close();

  // Noëlle asks inzage; logged in at Substantieel, the answer comes at once.
  const c = await asCitizen(NOELLE);
  await c.page.getByRole('link', { name: 'Inzage in mijn gegevens en wie ze kreeg' }).click();
  await c.page.waitForURL(/soort=inzage/);
  await hydrated(c.page);
  await expectAccessible(c.page, 'inzage form');
  await c.page.getByRole('button', { name: 'Verzoek indienen' }).click();
  await c.page.waitForURL(/\/inwoner\/verzoeken\/.*melding=ingediend/);
  await hydrated(c.page);
  assert.equal(await fact(c.page, 'Status'), 'Afgehandeld: toegekend');
  await c.page.getByRole('link', { name: /Besluit op uw verzoek/ }).click();
  await c.page.waitForURL(/\/inwoner\/brieven\//);
  const overview = c.page.locator('.letter table', { hasText: 'Verstrekkingen van uw gegevens' });
  await overview.waitFor();
  const today = await c.page.locator('.letter__date').innerText();
  const date = today.match(/Datum: (.*)/)[1].trim();
  const row = overview.locator('tbody tr', { hasText: 'Team werk, inkomen en zorg' }).filter({ hasText: date });
  assert.ok(await row.count() >= 1, `a row for today's lookup (${date})`);
  assert.match(await row.first().innerText(), new RegExp(doel));
  assert.match(await row.first().innerText(), /Persoon|Verblijfplaats/);
  // The persoonslijst as held, with the geheimhouding she has.
  const letter = await c.page.locator('.letter').innerText();
  assert.match(letter, /Zwanenburg/);
  assert.match(letter, /Dorpsstraat/);
  await hydrated(c.page);
  await expectAccessible(c.page, 'inzage answer');
  await c.context.close();
});

test('every citizen form works without JavaScript', async () => {
  const c = await asCitizen(DAAN, { js: false });
  // Inzage (a request without attachments) through a plain form post.
  await c.page.goto('/inwoner/verzoeken/nieuw?soort=geheimhouding');
  await c.page.getByLabel('Toelichting').fill('Ik wil niet dat derden mijn adres krijgen.');
  await c.page.getByRole('button', { name: 'Verzoek indienen' }).click();
  await c.page.waitForURL(/melding=ingediend/);
  assert.equal(await fact(c.page, 'Status'), 'Ontvangen');
  const geheim = (await c.page.getByRole('heading', { level: 1 }).innerText()).replace('Verzoek ', '');

  // A correctie with an attachment; first a wrong one, to see the error come back.
  await c.page.goto('/inwoner/verzoeken/nieuw?soort=correctie');
  await c.page.getByLabel('Welk gegeven klopt niet?').selectOption('geboorte.datum');
  await c.page.getByLabel('Wat moet het zijn?').fill('11-02-2016');
  await c.page.getByLabel('Waarom klopt het gegeven niet?').fill('Test');
  await c.page.setInputFiles('#veld-bijlagen', { name: 'akte.pdf', mimeType: 'application/pdf', buffer: Buffer.from('geen pdf') });
  await c.page.getByRole('button', { name: 'Verzoek indienen' }).click();
  await c.page.waitForURL(/__err=/);
  await c.page.locator('#veld-bijlagen-fout', { hasText: 'geen PDF, JPEG of PNG' }).waitFor();
  await c.page.getByLabel('Welk gegeven klopt niet?').selectOption('naam.voornamen');
  await c.page.getByLabel('Wat moet het zijn?').fill('Daan Jeroen Pieter');
  await c.page.getByLabel('Waarom klopt het gegeven niet?').fill('De derde naam ontbreekt.');
  await c.page.setInputFiles('#veld-bijlagen', { name: 'akte.png', mimeType: 'image/png', buffer: PNG });
  await c.page.getByRole('button', { name: 'Verzoek indienen' }).click();
  await c.page.waitForURL(/\/inwoner\/verzoeken\/[0-9a-f-]{36}\?melding=ingediend$/);
  const correctie = (await c.page.getByRole('heading', { level: 1 }).innerText()).replace('Verzoek ', '');
  await c.page.getByRole('link', { name: /akte\.png/ }).waitFor();
  // Asking that earlier recipients be told.
  await c.page.getByRole('button', { name: 'Ja, informeer de eerdere ontvangers' }).click();
  await c.page.waitForURL(/melding=ontvangers/);
  assert.equal(await fact(c.page, 'Eerdere ontvangers informeren'), 'Ja, gevraagd');
  const correctieUrl = c.page.url().split('?')[0];

  // The beheerder (also without JavaScript) asks for information; Daan answers with a file.
  const b = await asStaff('beheerder', { js: false });
  await openInQueue(b.page, correctie, { js: false });
  await b.page.getByLabel('Vraag').fill('Stuur een kopie van de geboorteakte.');
  await b.page.getByRole('button', { name: 'Vraag versturen' }).click();
  await b.page.waitForURL(/melding=gevraagd/);
  await c.page.goto(correctieUrl);
  assert.equal(await fact(c.page, 'Status'), 'Wacht op uw informatie');
  await c.page.getByLabel('Uw antwoord').fill('Hierbij de akte.');
  await c.page.setInputFiles('#veld-bijlagen', { name: 'akte-kopie.png', mimeType: 'image/png', buffer: PNG });
  await c.page.getByRole('button', { name: 'Informatie sturen' }).click();
  await c.page.waitForURL(/melding=informatie/);
  assert.equal(await fact(c.page, 'Status'), 'In behandeling');
  await c.page.getByRole('link', { name: /akte-kopie\.png/ }).waitFor();

  // The inzage form, and logging out.
  await c.page.goto('/inwoner/verzoeken/nieuw?soort=inzage');
  await c.page.getByRole('button', { name: 'Verzoek indienen' }).click();
  await c.page.waitForURL(/melding=ingediend/);
  await c.page.getByRole('button', { name: 'Uitloggen' }).first().click();
  await c.page.waitForURL(/uitgelogd=1/);
  await c.context.close();

  // Stopping geheimhouding, for Noëlle who has it.
  const n = await asCitizen(NOELLE, { js: false });
  await n.page.goto('/inwoner/verzoeken/nieuw?soort=intrekking_geheimhouding');
  await n.page.getByRole('button', { name: 'Verzoek indienen' }).click();
  await n.page.waitForURL(/melding=ingediend/);
  assert.equal(await fact(n.page, 'Soort verzoek'), 'Stoppen met geheimhouding');
  await n.context.close();

  // The beheerder registers a request from the counter, without JavaScript.
  await b.page.goto('/beheer/burgerverzoeken/registreren');
  await b.page.getByLabel('Burgerservicenummer').fill(JEROEN);
  await b.page.getByLabel('Toelichting op de identificatie').fill('Rijbewijs getoond, eindigt op 12');
  await b.page.getByLabel('Reden van registratie').fill('Inwoner aan de balie, wil geheimhouding');
  await b.page.getByLabel('Soort verzoek').selectOption('geheimhouding');
  await b.page.getByRole('button', { name: 'Verzoek registreren' }).click();
  await b.page.waitForURL(/melding=geregistreerd/);
  assert.match(await fact(b.page, 'Identiteit vastgesteld'), /Identiteitsbewijs getoond aan de balie: Rijbewijs/);
  await b.page.locator('.history li', { hasText: 'Reden van registratie: Inwoner aan de balie' }).waitFor();
  await b.page.goto('/beheer/burgerverzoeken');
  await b.page.getByRole('link', { name: geheim }).waitFor();
  await b.context.close();
});
