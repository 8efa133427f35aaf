// End-to-end test of `phare dashboard` in the system's headless Chromium (Debian's package),
// driven by playwright-core: no browser download. Run by .ci/browser:
//   node tests/browser/dashboard.test.mjs DASHBOARD.html SCREENSHOT.png
// with PHARE_BIN set to the phare binary that built the page: expected figures and colours
// come from `phare stats` and `phare map` run on the same (embedded) inputs.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';

const [html, shot] = process.argv.slice(2).map((p) => resolve(p));
const bin = process.env.PHARE_BIN || 'target/debug/phare';
const work = mkdtempSync(join(tmpdir(), 'phare-browser-'));

const run = (args) => execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const stats = (level, measure) => JSON.parse(run(['stats', '--level', level, '--measure', measure, '--json']));
// French number as the page writes it: 1 decimal, decimal comma.
const fr1 = (x) => x.toFixed(1).replace('.', ',');

let failures = 0;
async function step(name, f) {
  const t = Date.now();
  try {
    await f();
    console.log(`ok   ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}\n${e.stack || e}`);
  }
}

const context = await chromium.launchPersistentContext(join(work, 'profile'), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1400, height: 1000 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] || (await context.newPage());
const requests = [];
page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) requests.push(r.url()); });
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));

const fill = (code) => page.locator(`#map path[id="${code}"]`).getAttribute('fill');

await step('opens from disk, offline, in under 1 s', async () => {
  await page.goto('file://' + html);
  await page.waitForSelector('html[data-ready="1"]');
  const ms = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return nav.loadEventEnd || performance.now();
  });
  console.log(`     page ready, load event at ${Math.round(ms)} ms`);
  assert.ok(ms < 1000, `load took ${ms} ms`);
  assert.equal(await page.locator('#banner').isVisible(), true, 'Données simulées banner');
  assert.match(await page.locator('#banner').innerText(), /Données simulées/);
  assert.match(await page.locator('#footer').innerText(), /Source : .*IGN/);
  // The default data of phare map and stats: mayors' sample and synthetic other actors, all
  // selectable; mayors first, as phare stats reads by default.
  assert.equal(await page.locator('input[name=actor][value=maire]').isChecked(), true);
  for (const a of ['all', 'citoyen', 'entreprise', 'association']) {
    assert.equal(await page.locator(`input[name=actor][value=${a}]`).isDisabled(), false, a);
  }
});

await step('région map: every région focusable with a text alternative', async () => {
  assert.equal(await page.locator('#map path[tabindex][role="button"][aria-label]').count(), 18);
  assert.equal(await page.locator('#map path[tabindex="0"]').count(), 1, 'one Tab stop');
  const label = await page.locator('#map path[id="84"]').getAttribute('aria-label');
  const row = stats('region', 'q4:oui').find((r) => r.code === '84');
  assert.equal(row.flag, 'insufficient', 'n = 35 but n eff. 25 < 30');
  assert.equal(label, `Auvergne-Rhône-Alpes (84) : ${fr1(row.value * 100)}\u00a0%, n = ${row.n}, n eff. = ${Math.round(row.n_eff)}, échantillon insuffisant`);
});

await step('hover a département: tooltip with value, n, interval, flag (= phare stats)', async () => {
  await page.selectOption('#level', 'departement');
  await page.hover('#map path[id="69"]');
  const tip = await page.locator('#tooltip').innerText();
  const row = stats('departement', 'q4:oui').find((r) => r.code === '69');
  assert.match(tip, /Rhône \(69\)/);
  assert.ok(tip.includes(`${fr1(row.value * 100)}\u00a0%`), tip);
  assert.ok(tip.includes(`[${fr1(row.ci_low * 100)}\u202f; ${fr1(row.ci_high * 100)}]`), tip);
  assert.ok(tip.includes(`n = ${row.n}`), tip);
  assert.ok(tip.includes(`n eff. = ${Math.round(row.n_eff)}`), tip);
  assert.equal(row.flag, 'insufficient');
  assert.match(tip, /Échantillon insuffisant/);
  assert.equal(await fill('69'), 'url(#hatch-0)', 'insufficient sample hatched');
});

await step('switch the measure: legend and colours change, colours equal phare map', async () => {
  const before = await fill('75');
  const legendBefore = await page.locator('#legend').innerText();
  await page.selectOption('#measure', 'ind:density');
  const legend = await page.locator('#legend').innerText();
  assert.notEqual(legend, legendBefore);
  assert.match(legend, /Habitants par km²/);
  const after = await fill('75');
  assert.notEqual(after, before);
  // Paris again in the Île-de-France zoom box, same colour.
  assert.equal(await page.locator('#map path[id="zoom-75"]').getAttribute('fill'), after);
  // The same map drawn by `phare map`: same classes, same colour for Paris and Lozère.
  const svg = join(work, 'density.svg');
  run(['map', '--level', 'departement', '--value', 'density', '-o', svg]);
  const text = readFileSync(svg, 'utf8');
  for (const code of ['75', '48', '2A']) {
    const m = text.match(new RegExp(`<path id="${code}" [^>]*?fill="(#[0-9a-f]{6})"`));
    assert.ok(m, `no path ${code} in phare map's SVG`);
    assert.equal(await fill(code), m[1], `colour of ${code}`);
  }
  const swatches = await page.locator('#legend .swatch').count();
  assert.ok(swatches >= 5, `${swatches} legend entries`);
});

await step('switch actor to citoyen: map and legend change, figures = phare stats --actor citoyen', async () => {
  await page.selectOption('#level', 'region');
  await page.selectOption('#measure', 'frag_emploi:mean');
  const before = await fill('84');
  const legendBefore = await page.locator('#legend').innerText();
  await page.check('input[name=actor][value=citoyen]');
  assert.notEqual(await page.locator('#legend').innerText(), legendBefore);
  assert.notEqual(await fill('84'), before);
  const rows = JSON.parse(run(['stats', '--level', 'region', '--measure', 'frag_emploi:mean', '--actor', 'citoyen', '--json']));
  const row = rows.find((r) => r.code === '84');
  const label = await page.locator('#map path[id="84"]').getAttribute('aria-label');
  assert.ok(label.includes(`${fr1(row.value)}, n = ${row.n}`), label);
  await page.check('input[name=actor][value=maire]');
  assert.equal(await page.locator('#legend').innerText(), legendBefore);
});

await step('keyboard: focus a territory, Enter opens its profile', async () => {
  await page.selectOption('#measure', 'q4:oui');
  await page.selectOption('#level', 'region');
  await page.locator('#map path[id="84"]').focus();
  assert.equal(await page.locator('#tooltip').isVisible(), true, 'tooltip on focus');
  await page.keyboard.press('Enter');
  assert.match(await page.locator('#panel h2').innerText(), /Auvergne-Rhône-Alpes/);
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.id), '93');
  // Tab leaves the map in one step: the map is a single Tab stop.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'dl-svg');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), '93');
});

await step('search for a commune outside the extent says so', async () => {
  await page.fill('#search', 'Strasbourg');
  await page.press('#search', 'Enter');
  assert.match(await page.locator('#search-status').innerText(), /Aucun territoire .*communes de Corse seulement/);
});

await step('search "Ajaccio" + Enter: profile panel against its parent, France, another', async () => {
  await page.fill('#search', 'Ajaccio');
  await page.press('#search', 'Enter');
  const title = await page.locator('#panel h2').innerText();
  assert.match(title, /Ajaccio/);
  assert.match(title, /2A004/);
  assert.equal(await page.locator('#search-status').innerText(), '');
  const panel = page.locator('#panel');
  const text = await panel.innerText();
  assert.match(text, /Corse-du-Sud/);
  assert.match(text, /Fragilités ressenties/);
  assert.match(text, /Trois fragilités prioritaires/);
  assert.match(text, /Dynamique de co-construction/);
  assert.match(text, /Population : /);
  assert.match(text, /Indicateurs/);
  assert.equal(await page.locator('#level').inputValue(), 'commune');
  // A commune reads its département's estimates, as `phare profile 2A004` does: the same
  // figure for a fragility, with its interval and n.
  const prof = JSON.parse(run(['profile', '2A004', '--json']));
  assert.equal(prof.levels[0].code, '2A');
  const dom = prof.domains[0], sc = dom.scores[0];
  const fragCell = await panel.locator(`tr[data-measure="frag_${dom.key}:mean"] td`).nth(0).innerText();
  assert.ok(fragCell.includes(`${fr1(sc.value)} [${fr1(sc.ci_low)}\u202f; ${fr1(sc.ci_high)}]`) && fragCell.includes(`n = ${sc.n}`), fragCell);
  const pri = await panel.locator('ol.priorities li').first().innerText();
  assert.ok(pri.includes(fr1(prof.priorities.domains[0].value)), pri);
  // Q4 « oui »: Corse-du-Sud against its parent, Corse, both as phare stats gives them.
  const dep = stats('departement', 'q4:oui').find((r) => r.code === '2A');
  const depCell = await panel.locator('tr[data-measure="q4:oui"] td').nth(0).innerText();
  assert.ok(depCell.includes(`${fr1(dep.value * 100)}\u00a0%`) && depCell.includes(`n = ${dep.n}`), depCell);
  const reg = stats('region', 'q4:oui').find((r) => r.code === '94');
  const refCell = await panel.locator('tr[data-measure="q4:oui"] td').nth(1).innerText();
  assert.ok(refCell.includes(`${fr1(reg.value * 100)}\u00a0%`) && refCell.includes(`n = ${reg.n}`), refCell);
  // Indicators carry a rank among the communes of the région.
  assert.match(await panel.locator('tr[data-measure="ind:population"]').innerText(), /\b1 \/ \d+/);
  // Reference France.
  await page.selectOption('#reference', 'FR');
  const france = stats('region', 'q4:oui').find((r) => r.code === 'FR');
  const frCell = await panel.locator('tr[data-measure="q4:oui"] td').nth(1).innerText();
  assert.ok(frCell.includes(`${fr1(france.value * 100)}\u00a0%`), frCell);
  assert.match(await panel.locator('thead').first().innerText(), /France/);
  // Another territory: Bretagne.
  await page.selectOption('#reference', 'region:53');
  assert.match(await panel.locator('thead').first().innerText(), /Bretagne/);
});

await step('downloads: CSV table, SVG and PNG map', async () => {
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#dl-csv')]);
  const rows = readFileSync(await csv.path(), 'utf8').trim().split('\n');
  assert.equal(rows[0], 'level,code,name,actor,measure,value,n,n_eff,ci_low,ci_high,flag,rank,gap,gap_significant,synthetic');
  assert.ok(rows.some((r) => r.startsWith('commune,2A004,Ajaccio,maire,q4:oui,')), rows.slice(0, 3).join('\n'));
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('#dl-svg')]);
  const s = readFileSync(await svg.path(), 'utf8');
  assert.match(s, /^<svg xmlns/);
  assert.match(s, /path id="2A004"/);
  assert.match(s, /Données simulées/);
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#dl-png')]);
  const b = readFileSync(await png.path());
  assert.equal(b.subarray(1, 4).toString(), 'PNG');
  assert.ok(b.length > 20000, `PNG of ${b.length} bytes`);
  await png.saveAs(shot.replace(/\.png$/, '-export.png'));
});

await step('screenshot', async () => {
  await page.selectOption('#level', 'region');
  await page.selectOption('#measure', 'q4:oui');
  await page.fill('#search', 'Corse');
  await page.press('#search', 'Enter');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.hover('#map path[id="84"]');
  await page.screenshot({ path: shot, fullPage: false });
});

await step('no script error, no network request', async () => {
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, []);
});

await context.close();
rmSync(work, { recursive: true, force: true });
if (failures) {
  console.log(`${failures} step(s) failed`);
  process.exit(1);
}
console.log(`browser test passed; screenshot ${shot}`);
