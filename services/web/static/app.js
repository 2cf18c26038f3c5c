// The planners' dashboard. No framework: fetch the JSON API with the bearer token kept in
// sessionStorage, draw tables and Chart.js charts, and follow /api/live (a streamed fetch body,
// so the Authorization header can be sent) to refresh within a second of a commit.
'use strict';

const LEVELS = { 1: 'Let', 2: 'Moderat', 3: 'Højt' };
const GROUPS = {
  1: 'Multiple funktionsnedsættelser',
  2: 'Kommunikationshandicap',
  3: 'Sindslidelse med misbrug/adfærd',
  4: 'Udviklingshæmning med misbrug/adfærd',
  5: 'Børn og unge: omfattende sociale problemer',
  6: 'Børn og unge: komplekse vanskeligheder',
};
const MODELS = { 1: 'Takst', 2: 'Basis', 3: 'Objektiv', 4: 'Blandet (50 % objektiv)' };
const $ = (id) => document.getElementById(id);
const state = { tab: 'capacity', head: 0, asOf: 0, names: null, shown: 0, charts: {}, loading: false, again: false };

// ---- the token and the API ----
function token() { return sessionStorage.getItem('placement-token') || ''; }

async function api(path, params) {
  const query = new URLSearchParams(params || {});
  if (state.asOf > 0) query.set('as_of', String(state.asOf));
  const response = await fetch(`${path}?${query}`, { headers: { Authorization: `Bearer ${token()}` } });
  if (response.status === 401 || response.status === 403) {
    const body = await response.json().catch(() => ({}));
    signOut(body.error || 'Adgang nægtet');
    throw new Error('refused');
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

// ---- formatting ----
const num = (v) => Number(v || 0);
const int = (v) => num(v).toLocaleString('da-DK');
const kr = (ore) => (num(ore) / 100).toLocaleString('da-DK', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (bp) => (num(bp) / 100).toLocaleString('da-DK', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + ' %';
const regionName = (code) => `${code} ${(state.names.regions[code] || '')}`.trim();
const municipalityName = (code) => `${code} ${(state.names.municipalities[code] || {}).name || ''}`.trim();
const offerName = (id) => (state.names.offers[id] || {}).name || '';
const operatorName = (code) => state.names.regions[code] ? regionName(code) : municipalityName(code);

function stampText(stamp) {
  const when = stamp.recorded_at ? new Date(stamp.recorded_at).toLocaleString('da-DK') : '–';
  return `pr. logposition ${stamp.position}, registreret ${when}`;
}

// A table from columns [{title, get, text?, csv?}] and rows, with a CSV download beneath it.
function table(container, name, columns, rows, options = {}) {
  const element = document.createElement('table');
  element.dataset.table = name;
  const head = element.createTHead().insertRow();
  for (const column of columns) {
    const th = document.createElement('th');
    th.textContent = column.title;
    if (column.text) th.className = 'text';
    head.appendChild(th);
  }
  const body = element.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    if (options.onRow) options.onRow(tr, row);
    for (const column of columns) {
      const td = tr.insertCell();
      const value = column.get(row);
      td.textContent = value;
      if (column.text) td.className = 'text';
      if (column.key) td.dataset.key = column.key;
    }
  }
  const link = document.createElement('a');
  link.className = 'csv';
  link.textContent = 'Hent som CSV';
  link.href = '#';
  link.dataset.csv = name;
  link.addEventListener('click', (event) => {
    event.preventDefault();
    const quote = (v) => /[",;\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
    const lines = [columns.map((c) => quote(c.title)).join(',')];
    for (const row of rows) lines.push(columns.map((c) => quote(c.csv ? c.csv(row) : c.get(row))).join(','));
    const blob = new Blob([lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${name}-logposition-${state.shown}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  container.replaceChildren(element, link);
  return element;
}

const PALETTE = ['#1f5f99', '#d9822b', '#2e8b57', '#b03a48', '#7a5195', '#8c6d31', '#3aa6b9', '#c4508a', '#5b7f2b', '#666'];

function chart(id, config) {
  if (typeof Chart === 'undefined') return;
  config.data.datasets.forEach((dataset, i) => {
    const colour = PALETTE[i % PALETTE.length];
    dataset.backgroundColor = dataset.backgroundColor || colour;
    dataset.borderColor = dataset.borderColor || colour;
  });
  if (state.charts[id]) state.charts[id].destroy();
  config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
  state.charts[id] = new Chart($(id), config);
}

function vacancyColour(counts) {
  const open = num(counts.open);
  if (open === 0) return '#e0e0e0';
  const share = Math.max(0, Math.min(1, num(counts.vacant) / open));
  return `hsl(${Math.round(share * 120)}, 70%, ${85 - share * 20}%)`;
}

const countColumns = [
  { title: 'Pladser', get: (r) => int(r.counts.open), csv: (r) => r.counts.open, key: 'open' },
  { title: 'Belagte', get: (r) => int(r.counts.occupied), csv: (r) => r.counts.occupied, key: 'occupied' },
  { title: 'Reserverede', get: (r) => int(r.counts.reserved), csv: (r) => r.counts.reserved, key: 'reserved' },
  { title: 'Ledige', get: (r) => int(r.counts.vacant), csv: (r) => r.counts.vacant, key: 'vacant' },
  { title: 'Venteliste', get: (r) => int(r.counts.waiting), csv: (r) => r.counts.waiting, key: 'waiting' },
];

// ---- pages ----
async function showCapacity() {
  const date = $('date').value;
  const [level, group, offers, byGroup] = await Promise.all([
    api('/api/capacity', { date, by: 'region,level' }),
    api('/api/capacity', { date, by: 'region,target_group' }),
    api('/api/capacity', { date, by: 'offer,region,level' }),
    api('/api/capacity', { date, by: 'offer,region,target_group' }),
  ]);
  heatMap($('heat-level'), 'kapacitet-region-niveau', level.view.rows, 'level', LEVELS, offers.view.rows);
  heatMap($('heat-group'), 'kapacitet-region-maalgruppe', group.view.rows, 'target_group', GROUPS, byGroup.view.rows);
  const total = level.view.total;
  table($('capacity-total'), 'kapacitet-i-alt', [{ title: 'I alt', get: () => 'alle tilbud', text: true }, ...countColumns],
    [{ counts: total }]).dataset.testid = 'capacity-total';
  showCellOffers('Alle tilbud', offers.view.rows);
  return level.stamp;
}

function heatMap(container, name, rows, field, labels, offerRows) {
  const regions = state.names.existing;
  const cells = new Map(rows.map((r) => [`${r.key.region_code}/${r.key[field]}`, r]));
  const element = document.createElement('table');
  element.dataset.heat = field;
  const head = element.createTHead().insertRow();
  head.appendChild(Object.assign(document.createElement('th'), { textContent: 'Region', className: 'text' }));
  for (const code of Object.keys(labels)) {
    const text = field === 'level' ? labels[code] : `Målgruppe ${code}`;
    head.appendChild(Object.assign(document.createElement('th'), { textContent: text, title: labels[code] }));
  }
  const body = element.createTBody();
  for (const region of regions) {
    const tr = body.insertRow();
    tr.appendChild(Object.assign(document.createElement('th'), { textContent: regionName(region), className: 'text' }));
    for (const code of Object.keys(labels).map(Number)) {
      const td = tr.insertCell();
      const row = cells.get(`${region}/${code}`);
      td.className = 'cell';
      td.dataset.region = region;
      td.dataset[field === 'level' ? 'level' : 'group'] = code;
      if (!row) { td.textContent = '–'; continue; }
      td.dataset.vacant = num(row.counts.vacant);
      td.dataset.open = num(row.counts.open);
      td.textContent = `${int(row.counts.vacant)} / ${int(row.counts.open)}`;
      td.title = `ledige / pladser; belagte ${row.counts.occupied}, reserverede ${row.counts.reserved}, venteliste ${row.counts.waiting}`;
      td.style.background = vacancyColour(row.counts);
      td.addEventListener('click', () => {
        container.querySelectorAll('td.selected').forEach((c) => c.classList.remove('selected'));
        td.classList.add('selected');
        showCellOffers(`${regionName(region)}, ${labels[code]}`,
          offerRows.filter((o) => o.key.region_code === region && o.key[field] === code));
      });
    }
  }
  const rowsForCsv = rows.map((r) => ({ ...r, label: labels[r.key[field]] }));
  const wrapper = document.createElement('div');
  const legend = document.createElement('p');
  legend.className = 'hint';
  legend.textContent = field === 'level' ? 'Celle: ledige / pladser.'
    : 'Celle: ledige / pladser. ' + Object.entries(labels).map(([c, l]) => `${c}: ${l}`).join('; ') + '.';
  container.replaceChildren(element, legend, wrapper);
  table(wrapper, name, [
    { title: 'Region', get: (r) => regionName(r.key.region_code), text: true },
    { title: field === 'level' ? 'Specialiseringsniveau' : 'Målgruppe', get: (r) => r.label, text: true },
    { title: 'Tilbud', get: (r) => int(r.offers), csv: (r) => r.offers }, ...countColumns], rowsForCsv);
  wrapper.querySelector('table').hidden = true;
}

function showCellOffers(title, rows) {
  $('cell-title').textContent = `Tilbud: ${title}`;
  table($('cell-offers'), 'tilbud', [
    { title: 'Tilbud', get: (r) => r.key.offer_id, text: true },
    { title: 'Navn', get: (r) => offerName(r.key.offer_id), text: true },
    { title: 'Region', get: (r) => regionName(r.key.region_code), text: true }, ...countColumns], rows);
}

function groupLabel(key, by) {
  switch (by) {
    case 'region': return regionName(key.region_code);
    case 'level': return LEVELS[key.level] || '';
    case 'target_group': return GROUPS[key.target_group] || '';
    case 'offer': return `${key.offer_id} ${offerName(key.offer_id)}`;
    case 'operator': return operatorName(key.operator_code);
  }
  return '';
}

async function showOccupancy() {
  const by = $('occ-by').value;
  const params = { from: $('from').value, to: $('to').value, by };
  const [series, whole, offers] = await Promise.all([
    api('/api/occupancy-series', params), api('/api/occupancy', params),
    api('/api/occupancy', { ...params, by: 'offer' })]);
  const months = series.months.map((m) => m.month);
  const labels = whole.view.rows.map((r) => groupLabel(r.key, by));
  const datasets = whole.view.rows.map((row, i) => ({
    label: labels[i],
    data: series.months.map((m) => {
      const match = m.view.rows.find((r) => JSON.stringify(r.key) === JSON.stringify(row.key));
      return match ? num(match.occupancy_bp) / 100 : null;
    }),
  }));
  if (by === 'offer') {
    for (const row of whole.view.rows) {
      const assumed = (state.names.offers[row.key.offer_id] || {}).assumed_occupancy_bp || 0;
      if (assumed) datasets.push({ label: `forudsat: ${row.key.offer_id}`, data: months.map(() => assumed / 100), borderDash: [6, 4], pointRadius: 0 });
    }
  }
  chart('occ-chart', { type: 'line', data: { labels: months, datasets },
    options: { scales: { y: { min: 0, max: 100, title: { display: true, text: 'belægningsprocent' } } } } });
  const placeDays = [
    { title: 'Tilbud', get: (r) => int(r.offers), csv: (r) => r.offers },
    { title: 'Pladsdage åbne', get: (r) => int(r.open_place_days), csv: (r) => r.open_place_days },
    { title: 'Pladsdage belagte', get: (r) => int(r.occupied_place_days), csv: (r) => r.occupied_place_days },
    { title: 'Pladsdage reserverede', get: (r) => int(r.reserved_place_days), csv: (r) => r.reserved_place_days },
    { title: 'Belægningsprocent', get: (r) => pct(r.occupancy_bp), csv: (r) => r.occupancy_bp, key: 'occupancy_bp' }];
  table($('occ-table'), 'belaegning', [{ title: 'Gruppe', get: (r) => r.total ? 'I alt' : groupLabel(r.key, by), text: true }, ...placeDays],
    [...whole.view.rows, { ...whole.view.total, total: true }]);
  table($('occ-offers'), 'belaegning-tilbud', [
    { title: 'Tilbud', get: (r) => r.key.offer_id, text: true },
    { title: 'Navn', get: (r) => offerName(r.key.offer_id), text: true },
    { title: 'Belægningsprocent', get: (r) => pct(r.occupancy_bp), csv: (r) => r.occupancy_bp, key: 'occupancy_bp' },
    { title: 'Forudsat belægning', get: (r) => { const a = (state.names.offers[r.key.offer_id] || {}).assumed_occupancy_bp; return a ? pct(a) : '–'; },
      csv: (r) => (state.names.offers[r.key.offer_id] || {}).assumed_occupancy_bp || '' },
    { title: 'Forskel (procentpoint)', get: (r) => { const a = (state.names.offers[r.key.offer_id] || {}).assumed_occupancy_bp; return a ? pct(num(r.occupancy_bp) - a) : '–'; },
      csv: (r) => { const a = (state.names.offers[r.key.offer_id] || {}).assumed_occupancy_bp; return a ? num(r.occupancy_bp) - a : ''; } }],
  offers.view.rows);
  return whole.stamp;
}

async function showWaiting() {
  const answer = await api('/api/waiting', { date: $('date').value });
  const rows = answer.view.offers;
  const groups = new Map();
  for (const row of rows) {
    for (const group of row.target_groups) {
      const g = groups.get(group) || { group, length: 0, oldest: 0, offers: 0 };
      g.length += num(row.length); g.oldest = Math.max(g.oldest, num(row.oldest_request_age_days)); g.offers += 1;
      groups.set(group, g);
    }
  }
  const byGroup = [...groups.values()].sort((a, b) => a.group - b.group);
  table($('wait-groups'), 'venteliste-maalgruppe', [
    { title: 'Målgruppe', get: (g) => `${g.group} ${GROUPS[g.group]}`, text: true },
    { title: 'Tilbud med venteliste', get: (g) => int(g.offers), csv: (g) => g.offers },
    { title: 'Venteliste', get: (g) => int(g.length), csv: (g) => g.length, key: 'length' },
    { title: 'Ældste anmodning (dage)', get: (g) => int(g.oldest), csv: (g) => g.oldest }], byGroup);
  chart('wait-chart', { type: 'bar', data: { labels: byGroup.map((g) => GROUPS[g.group]),
    datasets: [{ label: 'venteliste', data: byGroup.map((g) => g.length) }, { label: 'ældste anmodning (dage)', data: byGroup.map((g) => g.oldest) }] } });
  table($('wait-offers'), 'venteliste-tilbud', [
    { title: 'Tilbud', get: (r) => r.offer_id, text: true },
    { title: 'Navn', get: (r) => offerName(r.offer_id), text: true },
    { title: 'Driftsherre', get: (r) => operatorName(r.operator_code), text: true },
    { title: 'Niveau', get: (r) => LEVELS[r.level], text: true },
    { title: 'Målgrupper', get: (r) => r.target_groups.join(' '), text: true },
    { title: 'Venteliste', get: (r) => int(r.length), csv: (r) => r.length, key: 'length' },
    { title: 'Ældste anmodning (dage)', get: (r) => int(r.oldest_request_age_days), csv: (r) => r.oldest_request_age_days }], rows);
  return answer.stamp;
}

async function showFinancing() {
  const params = { from: $('from').value, to: $('to').value };
  // The vacancy bill first; the four what-ifs (the heavier request) once it is drawn, so they do
  // not compete with it for the server's cores.
  const financing = await api('/api/financing', params);
  const rows = financing.view.municipalities.filter((m) => num(m.objective_share_ore) !== 0 || num(m.net_ore) !== 0);
  const top = [...rows].sort((a, b) => num(b.objective_share_ore) - num(a.objective_share_ore)).slice(0, 30);
  chart('fin-chart', { type: 'bar', data: { labels: top.map((m) => municipalityName(m.municipality_code)),
    datasets: [{ label: 'objektiv andel for tomme pladser (kr)', data: top.map((m) => num(m.objective_share_ore) / 100) }] },
    options: { plugins: { title: { display: true, text: 'De 30 største tomgangsregninger' } } } });
  table($('fin-table'), 'tomgang-kommune', [
    { title: 'Kommune', get: (m) => municipalityName(m.municipality_code), text: true },
    { title: 'Belagte pladsdage', get: (m) => int(m.occupied_place_days), csv: (m) => m.occupied_place_days },
    { title: 'Objektiv andel (kr)', get: (m) => kr(m.objective_share_ore), csv: (m) => m.objective_share_ore, key: 'objective_share_ore' },
    { title: 'Blandet objektiv andel (kr)', get: (m) => kr(m.mixed_objective_share_ore), csv: (m) => m.mixed_objective_share_ore },
    { title: 'Forbrugsbetaling (kr)', get: (m) => kr(m.usage_payments_ore), csv: (m) => m.usage_payments_ore },
    { title: 'Refusion (kr)', get: (m) => kr(m.refund_ore), csv: (m) => m.refund_ore },
    { title: 'Netto (kr)', get: (m) => kr(m.net_ore), csv: (m) => m.net_ore, key: 'net_ore' }], rows);
  $('stamp').textContent = stampText(financing.stamp);
  const models = await api('/api/financing-models', params);
  const perModel = models.models.map((m) => new Map(m.view.municipalities.map((r) => [r.municipality_code, r])));
  const codes = rows.map((m) => m.municipality_code);
  chart('models-chart', { type: 'bar', data: { labels: codes.map(municipalityName),
    datasets: models.models.map((m, i) => ({ label: MODELS[m.model], data: codes.map((c) => num((perModel[i].get(c) || {}).net_ore) / 100) })) },
    options: { plugins: { title: { display: true, text: `Kommunernes nettoudgift, de ${models.objective_offers} objektive tilbud under hver model (kr)` } } } });
  table($('models-table'), 'finansieringsmodeller', [
    { title: 'Kommune', get: (c) => municipalityName(c), text: true },
    ...models.models.map((m, i) => ({ title: `${MODELS[m.model]} (kr)`, get: (c) => kr((perModel[i].get(c) || {}).net_ore), csv: (c) => (perModel[i].get(c) || {}).net_ore || 0 }))],
  codes);
  return financing.stamp;
}

const PAGES = { capacity: showCapacity, occupancy: showOccupancy, waiting: showWaiting, financing: showFinancing };

async function loadNames() {
  const names = await api('/api/names', { date: $('date').value });
  state.names = {
    regions: Object.fromEntries(names.regions.map((r) => [r.code, r.name])),
    // The regions on the page's date: a merger (Østdanmark from 2027-01-01) ends two and starts one.
    existing: names.regions.filter((r) => r.exists !== false).map((r) => r.code),
    municipalities: Object.fromEntries(names.municipalities.map((m) => [m.code, m])),
    offers: Object.fromEntries(names.offers.map((o) => [o.offer_id, o])),
  };
}

// Draws the current page; a request for another draw while one runs is served once it ends.
async function refresh() {
  if (state.loading) { state.again = true; return; }
  state.loading = true;
  try {
    do {
      state.again = false;
      $('error').textContent = '';
      await loadNames();
      const stamp = await PAGES[state.tab]();
      state.shown = stamp.position;
      $('stamp').textContent = stampText(stamp);
      $('stamp').dataset.position = stamp.position;
    } while (state.again);
  } catch (error) {
    if (error.message !== 'refused') $('error').textContent = `Fejl: ${error.message}`;
  } finally {
    state.loading = false;
  }
}

// ---- live ----
function setLive(text, mode) { const live = $('live'); live.textContent = text; live.className = `live ${mode}`; live.dataset.mode = mode; }

async function follow() {
  while (token()) {
    try {
      const response = await fetch('/api/live', { headers: { Authorization: `Bearer ${token()}` } });
      if (!response.ok) { if (response.status === 401 || response.status === 403) { signOut('Adgang nægtet'); return; } throw new Error(response.statusText); }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let pending = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        pending += decoder.decode(value, { stream: true });
        let newline;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          if (line) onHead(JSON.parse(line));
        }
      }
    } catch (error) { /* reconnect below */ }
    setLive('Ikke forbundet – forbinder igen', 'off');
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function onHead(head) {
  const moved = head.position !== state.head;
  state.head = head.position;
  $('asof').max = String(head.position);
  if (state.asOf === 0) {
    setLive(`Live · logposition ${head.position}`, 'on');
    if (moved && head.position !== state.shown) refresh();
  } else {
    setLive(`Historisk visning · loggen er ved ${head.position}`, 'past');
  }
}

// ---- sign-in and controls ----
function signOut(message) {
  sessionStorage.removeItem('placement-token');
  $('app').hidden = true; $('signout').hidden = true; $('signin').hidden = false;
  $('signin-error').textContent = message || '';
  setLive('Ikke forbundet', 'off');
}

async function signIn() {
  $('signin').hidden = true; $('app').hidden = false; $('signout').hidden = false;
  try {
    const head = await api('/api/head');
    state.head = head.stamp.position;
    $('asof').max = String(state.head);
  } catch (error) { return; }
  refresh();
  follow();
}

function init() {
  $('signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem('placement-token', $('token').value.trim());
    $('token').value = '';
    signIn();
  });
  $('signout').addEventListener('click', () => signOut(''));
  for (const button of document.querySelectorAll('#tabs button')) {
    button.addEventListener('click', () => {
      state.tab = button.dataset.tab;
      document.querySelectorAll('#tabs button').forEach((b) => b.classList.toggle('active', b === button));
      document.querySelectorAll('main section').forEach((s) => { s.hidden = s.dataset.page !== state.tab; });
      refresh();
    });
  }
  for (const id of ['date', 'from', 'to', 'occ-by']) $(id).addEventListener('change', refresh);
  $('asof').addEventListener('input', () => { $('asof-label').textContent = $('asof').value === '0' ? 'nu' : $('asof').value; });
  $('asof').addEventListener('change', () => { state.asOf = Number($('asof').value); onHead({ position: state.head }); refresh(); });
  $('now').addEventListener('click', () => { state.asOf = 0; $('asof').value = '0'; $('asof-label').textContent = 'nu'; onHead({ position: state.head }); refresh(); });
  const fromHash = new URLSearchParams(location.hash.slice(1));
  if (fromHash.get('tab')) document.querySelector(`#tabs button[data-tab="${fromHash.get('tab')}"]`)?.click();
  if (token()) signIn(); else signOut('');
}

document.addEventListener('DOMContentLoaded', init);
