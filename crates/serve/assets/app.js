// tocsin dashboard: plain JavaScript, no build step. Everything it draws comes from the JSON API.
// The view (filters, page, selected dyad) lives in the URL, so a view can be shared as a link.
"use strict";

const TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
  "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
const FILTERS = ["from", "to", "country", "source", "target", "type", "q", "noncurrent"];
const SVG = "http://www.w3.org/2000/svg";
const state = { offset: 0, limit: 25, alertOffset: 0, alertLimit: 20, dyad: null, names: {}, total: 0, alertTotal: 0 };

function el(tag, attrs, text) {
  const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// An actor key with its country name: "ISR (Israel)"; organisations and unknown keys as they are.
function named(key) {
  const n = key && state.names[key.toUpperCase()];
  return n ? `${key} (${n})` : (key || "–");
}

// --- the view in the URL --------------------------------------------------------------------------
function filters() {
  const form = document.getElementById("filters");
  const q = new URLSearchParams();
  for (const k of FILTERS) {
    const f = form.elements[k];
    const v = f.type === "checkbox" ? (f.checked ? "true" : "") : String(f.value).trim();
    if (v) q.set(k, v);
  }
  return q;
}

function fromUrl() {
  const u = new URLSearchParams(location.search);
  const form = document.getElementById("filters");
  let any = false;
  for (const k of FILTERS) {
    const f = form.elements[k];
    if (!u.has(k)) continue;
    any = true;
    if (f.type === "checkbox") f.checked = u.get(k) === "true"; else f.value = u.get(k);
  }
  state.offset = Math.max(0, Number(u.get("offset")) || 0);
  const d = u.get("dyad");
  state.dyad = d && d.includes(",") ? d.split(",", 2) : null;
  return any;
}

function viewUrl() {
  const q = filters();
  if (state.offset) q.set("offset", state.offset);
  if (state.dyad) q.set("dyad", state.dyad.join(","));
  return location.pathname + (q.toString() ? "?" + q : "");
}

function saveView() {
  const url = viewUrl();
  history.replaceState(null, "", url);
  document.getElementById("share").href = url;
  const f = filters();
  for (const fmt of ["csv", "jsonl"]) {
    const q = new URLSearchParams(f);
    q.set("format", fmt);
    document.getElementById("export-" + fmt).href = "/api/export?" + q;
  }
}

// --- errors: shown, never swallowed; the stale results they would leave are cleared ---------------
class ApiError extends Error {}

async function api(path) {
  let r;
  try { r = await fetch(path); } catch (e) { throw new ApiError(`cannot reach the server (${e.message})`); }
  if (!r.ok) {
    let msg = `${r.status} ${r.statusText}`;
    try {
      const body = await r.json();
      if (body.error) msg = body.error + (body.field ? ` [parameter: ${body.field}]` : "");
    } catch (_) { /* not JSON */ }
    throw new ApiError(msg);
  }
  return r.json();
}

function showError(err) {
  const box = document.getElementById("error");
  box.textContent = "Error: " + (err && err.message ? err.message : String(err));
  box.hidden = false;
}

function clearError() {
  const box = document.getElementById("error");
  box.hidden = true;
  box.textContent = "";
}

function clearResults() {
  document.querySelector("#events tbody").replaceChildren();
  document.getElementById("event-count").textContent = "";
  document.getElementById("page").textContent = "";
  document.getElementById("prev").disabled = document.getElementById("next").disabled = true;
  document.getElementById("map").querySelectorAll("circle.marker").forEach(c => c.remove());
  document.getElementById("map-count").textContent = "";
  document.getElementById("network").replaceChildren();
  document.getElementById("timeline").replaceChildren();
  document.getElementById("alerts").replaceChildren();
  document.getElementById("evidence").replaceChildren();
}

// --- map: TopoJSON decoding, an equirectangular projection, one marker per cell of the whole set ---
function project(lon, lat) { return [(lon + 180) * 960 / 360, (90 - lat) * 480 / 180]; }

function decodeArcs(topo) {
  const [sx, sy] = topo.transform ? topo.transform.scale : [1, 1];
  const [tx, ty] = topo.transform ? topo.transform.translate : [0, 0];
  return topo.arcs.map(arc => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
  });
}

function ringPath(arcs, ring) {
  let pts = [];
  for (const i of ring) {
    const a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
    pts = pts.concat(pts.length ? a.slice(1) : a);
  }
  return "M" + pts.map(([lon, lat]) => project(lon, lat).map(v => v.toFixed(1)).join(",")).join("L") + "Z";
}

async function drawWorld() {
  const topo = await api("/assets/countries-50m.json");
  const arcs = decodeArcs(topo);
  const g = el("svg:g", { id: "countries" });
  for (const geom of topo.objects.countries.geometries) {
    const polys = geom.type === "Polygon" ? [geom.arcs] : geom.type === "MultiPolygon" ? geom.arcs : [];
    const d = polys.map(p => p.map(r => ringPath(arcs, r)).join("")).join("");
    if (d) {
      const path = el("svg:path", { d, class: "country" });
      path.appendChild(el("svg:title", {}, (geom.properties && geom.properties.name) || ""));
      g.appendChild(path);
    }
  }
  document.getElementById("map").appendChild(g);
}

async function loadMap() {
  const cells = await api("/api/places?" + filters());
  const svg = document.getElementById("map");
  svg.querySelectorAll("circle.marker").forEach(c => c.remove());
  const events = cells.reduce((n, c) => n + c.events, 0);
  document.getElementById("map-count").textContent = `(${events} placed events in ${cells.length} places)`;
  if (!cells.length) { svg.setAttribute("viewBox", "0 0 960 480"); return; }
  const xy = cells.map(c => project(c.lon, c.lat));
  const xs = xy.map(p => p[0]), ys = xy.map(p => p[1]);
  const pad = 12, w = Math.max(...xs) - Math.min(...xs) + 2 * pad, h = Math.max(...ys) - Math.min(...ys) + 2 * pad;
  const side = Math.max(w, h * 2, 24);
  const cx = (Math.max(...xs) + Math.min(...xs)) / 2, cy = (Math.max(...ys) + Math.min(...ys)) / 2;
  svg.setAttribute("viewBox", `${cx - side / 2} ${cy - side / 4} ${side} ${side / 2}`);
  const max = Math.max(...cells.map(c => c.events), 1);
  cells.forEach((c, i) => {
    const [x, y] = xy[i];
    const r = side / 160 * (1 + 3 * Math.sqrt(c.events / max));
    const cls = c.conflict * 2 >= c.events ? "q4" : "q1";
    const m = el("svg:circle", { cx: x, cy: y, r, class: "marker " + cls, "data-lat": c.lat, "data-lon": c.lon,
      "data-events": c.events, "data-conflict": c.conflict });
    m.appendChild(el("svg:title", {}, `${c.name}: ${c.events} events (${c.conflict} conflict, ${c.dead} dead)`));
    svg.appendChild(m);
  });
}

// --- events table and evidence -------------------------------------------------------------------
function actorLabel(a) {
  if (!a) return "–";
  const key = a.country || a.org || a.code;
  return `${a.code} ${state.names[key] ? "(" + state.names[key] + ")" : "(" + a.text + ")"}`;
}

async function loadEvents() {
  const q = filters();
  q.set("limit", state.limit);
  q.set("offset", state.offset);
  const page = await api("/api/events?" + q);
  const body = document.querySelector("#events tbody");
  body.replaceChildren();
  for (const e of page.items) {
    const tr = el("tr", { "data-id": e.id, "data-type": e.event_type });
    for (const v of [e.date || "–", e.event_type + (e.timing ? ` (${e.timing.replace("_", " ")})` : ""), actorLabel(e.source), actorLabel(e.target),
      e.location ? e.location.name : "–", e.dead == null ? "–" : e.dead, e.num_articles]) tr.appendChild(el("td", {}, String(v)));
    tr.addEventListener("click", () => showEvidence(e.id, tr).catch(showError));
    body.appendChild(tr);
  }
  state.total = page.total;
  document.getElementById("event-count").textContent = `(${page.total})`;
  const last = Math.min(state.offset + page.items.length, page.total);
  document.getElementById("page").textContent = page.total && page.items.length
    ? `${state.offset + 1}–${last} of ${page.total}` : (page.total ? `past the end of ${page.total}` : "none");
  document.getElementById("prev").disabled = state.offset === 0;
  document.getElementById("next").disabled = state.offset + state.limit >= page.total;
  return page;
}

function highlight(sentence, record) {
  const marks = [];
  const add = (text, cls) => {
    if (!text) return;
    const i = sentence.indexOf(text);
    if (i >= 0 && !marks.some(m => i < m.end && i + text.length > m.start)) marks.push({ start: i, end: i + text.length, cls });
  };
  add(record.trigger && record.trigger.text, "trg");
  add(record.source && record.source.text, "src");
  add(record.target && record.target.text, "tgt");
  add(record.date_text, "date");
  add(record.location && record.location.text, "place");
  marks.sort((a, b) => a.start - b.start);
  const p = el("p", { class: "sentence" });
  let at = 0;
  for (const m of marks) {
    p.appendChild(document.createTextNode(sentence.slice(at, m.start)));
    p.appendChild(el("mark", { class: m.cls }, sentence.slice(m.start, m.end)));
    at = m.end;
  }
  p.appendChild(document.createTextNode(sentence.slice(at)));
  return p;
}

// Where a report comes from: the article's title linked to its URL, the outlet and the date.
function articleLine(r) {
  const line = el("div", { class: "meta" });
  const title = r.title || r.article_id;
  if (r.url && /^https?:\/\//.test(r.url)) line.appendChild(el("a", { href: r.url, target: "_blank", rel: "noopener noreferrer", class: "article" }, title));
  else line.appendChild(el("span", { class: "article" }, title));
  line.appendChild(document.createTextNode(` · ${r.outlet || "unknown outlet"} · ${r.published || "undated"} · sentence ${r.sentence + 1}`));
  return line;
}

async function showEvidence(id, row) {
  document.querySelectorAll("#events tr.selected").forEach(r => r.classList.remove("selected"));
  if (row) row.classList.add("selected");
  const d = await api("/api/events/" + encodeURIComponent(id));
  const box = document.getElementById("evidence");
  box.replaceChildren();
  box.appendChild(el("p", { class: "meta" }, `${d.event_type} (CAMEO ${d.cameo}, Goldstein ${d.goldstein}) · ${d.date || "no date"}` +
    ` · ${d.modality}${d.attribution ? " · according to " + d.attribution : ""} · ${d.num_mentions} mention(s) in ${d.num_articles} article(s)`));
  for (const r of d.reports) {
    const item = el("div", { class: "evidence-item", "data-article": r.article_id });
    item.appendChild(articleLine(r));
    item.appendChild(highlight(r.evidence, r.record));
    box.appendChild(item);
  }
  if (d.source && d.target) await selectDyad(d.source.country || d.source.org || d.source.code, d.target.country || d.target.org || d.target.code, false);
}

// --- timeline: per day, week or month by the span; every period drawn, years on the axis ----------
function addDays(day, n) { const d = new Date(day + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); }
function spanDays(a, b) { return Math.round((new Date(b + "T00:00:00Z") - new Date(a + "T00:00:00Z")) / 864e5); }

// Every period label from `first` to `last` (days, ISO-like weeks as the server labels them, months).
function periods(first, last, g) {
  const out = [];
  if (g === "day") { for (let d = first; d <= last; d = addDays(d, 1)) out.push(d); return out; }
  if (g === "month") {
    let [y, m] = first.split("-").map(Number);
    const [ly, lm] = last.split("-").map(Number);
    while (y < ly || (y === ly && m <= lm)) { out.push(`${y}-${String(m).padStart(2, "0")}`); m++; if (m > 12) { m = 1; y++; } }
    return out;
  }
  const seen = new Set();
  for (let d = first; d <= last; d = addDays(d, 1)) { const w = weekLabel(d); if (!seen.has(w)) { seen.add(w); out.push(w); } }
  return out;
}

// The server's week label, %Y-W%W (weeks start on Monday; days before the first Monday are week 00).
function weekLabel(day) {
  const d = new Date(day + "T00:00:00Z");
  const jan1 = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const doy = Math.round((d - jan1) / 864e5);
  const wd = (d.getUTCDay() + 6) % 7;
  const week = Math.floor((doy - wd + 7) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

async function selectDyad(src, tgt, both) {
  state.dyad = [src, tgt];
  state.dyadBoth = !!both;
  saveView();
  document.getElementById("dyad-label").textContent = `${named(src)} ${both ? "–" : "→"} ${named(tgt)}`;
  const f = filters();
  // The timeline follows the date filter; without one it spans the dyad's own data.
  let first = f.get("from"), last = f.get("to");
  const span = first && last ? spanDays(first, last) : null;
  const g = span === null ? "month" : span <= 120 ? "day" : span <= 730 ? "week" : "month";
  const q = new URLSearchParams({ granularity: g, both: both ? "true" : "false" });
  if (first) q.set("from", first);
  if (last) q.set("to", last);
  const s = await api(`/api/dyads/${encodeURIComponent(src)}/${encodeURIComponent(tgt)}/series?${q}`);
  const svg = document.getElementById("timeline");
  svg.replaceChildren();
  svg.setAttribute("data-granularity", g);
  if (!s.points.length) { svg.appendChild(el("svg:text", { x: 10, y: 20 }, "no dated events for this pair in this window")); return; }
  if (!first || !last) { first = s.points[0].period; last = s.points[s.points.length - 1].period; }
  const labels = g === "month" ? periods(first.slice(0, 7), last.slice(0, 7), "month") : periods(first, last, g);
  const byPeriod = new Map(s.points.map(p => [p.period, p]));
  // A point the axis does not know (it never should) is appended rather than dropped.
  for (const p of s.points) if (!labels.includes(p.period)) labels.push(p.period);
  const max = Math.max(...s.points.map(p => p.events), 1);
  const w = 960 / labels.length;
  const every = Math.max(1, Math.ceil(labels.length / 10));
  labels.forEach((label, i) => {
    const p = byPeriod.get(label);
    const n = p ? p.events : 0;
    const h = n / max * 150;
    const bar = el("svg:rect", { x: i * w + w * 0.1, y: 170 - h, width: Math.max(w * 0.8, 0.5), height: h, class: "bar", "data-period": label, "data-events": n });
    bar.appendChild(el("svg:title", {}, p ? `${label}: ${p.events} events in ${p.articles} articles, Goldstein ${p.goldstein_mean.toFixed(1)}, ${p.dead} dead` : `${label}: none`));
    svg.appendChild(bar);
    if (i % every === 0) svg.appendChild(el("svg:text", { x: i * w + 2, y: 188, class: "tick" }, label));
  });
  svg.appendChild(el("svg:text", { x: 958, y: 14, "text-anchor": "end", class: "axis" }, `max ${max} events per ${g}`));
  const idx = s.index.filter(p => Number.isFinite(p.z) && labels.includes(p.period));
  if (g === "day" && idx.length) {
    const zmax = Math.max(...idx.map(p => Math.abs(p.z)), 1);
    const at = new Map(labels.map((l, i) => [l, i]));
    const d = idx.map((p, i) => `${i ? "L" : "M"}${((at.get(p.period) + .5) * w).toFixed(1)},${(90 - p.z / zmax * 80).toFixed(1)}`).join("");
    svg.appendChild(el("svg:path", { d, class: "index" }));
  }
}

// --- network: the top dyads, weights on the edges, self-loops drawn ------------------------------
async function loadNetwork() {
  const q = filters();
  q.set("limit", 30);
  const edges = await api("/api/network?" + q);
  const svg = document.getElementById("network");
  svg.replaceChildren();
  if (!edges.length) { svg.appendChild(el("svg:text", { x: 10, y: 20 }, "no dyads in this view")); return; }
  const nodes = [...new Set(edges.flatMap(e => [e.source, e.target]))];
  const pos = {};
  nodes.forEach((n, i) => {
    const a = 2 * Math.PI * i / Math.max(nodes.length, 1) - Math.PI / 2;
    pos[n] = [210 + 150 * Math.cos(a), 210 + 150 * Math.sin(a)];
  });
  const max = Math.max(...edges.map(e => e.events), 1);
  for (const e of edges) {
    const [x1, y1] = pos[e.source], [x2, y2] = pos[e.target];
    const cls = e.goldstein_sum < 0 ? "conflict" : "coop";
    const width = 1 + 5 * e.events / max;
    let shape, lx, ly;
    if (e.source === e.target) {
      // A self-loop (civil war, internal repression): a ring outside the node.
      const dx = (x1 - 210) / 150, dy = (y1 - 210) / 150;
      const cx = x1 + 14 * dx, cy = y1 + 14 * dy;
      shape = el("svg:circle", { cx, cy, r: 12, "stroke-width": width, class: "edge loop " + cls, "data-dyad": `${e.source}-${e.target}` });
      lx = cx + 16 * dx; ly = cy + 16 * dy;
    } else {
      shape = el("svg:line", { x1, y1, x2, y2, "stroke-width": width, class: "edge " + cls, "data-dyad": `${e.source}-${e.target}` });
      lx = x1 + (x2 - x1) * 0.6; ly = y1 + (y2 - y1) * 0.6;
    }
    shape.appendChild(el("svg:title", {}, `${named(e.source)} → ${named(e.target)}: ${e.events} events, Goldstein sum ${e.goldstein_sum.toFixed(1)}`));
    shape.addEventListener("click", () => selectDyad(e.source, e.target, false).catch(showError));
    svg.appendChild(shape);
    svg.appendChild(el("svg:text", { x: lx, y: ly, class: "weight" }, String(e.events)));
  }
  for (const n of nodes) {
    svg.appendChild(el("svg:circle", { cx: pos[n][0], cy: pos[n][1], r: 6, class: "node" }));
    const t = el("svg:text", { x: pos[n][0] + 8, y: pos[n][1] + 4, class: "label" }, n);
    t.appendChild(el("svg:title", {}, named(n)));
    svg.appendChild(t);
  }
  if (!state.dyad) await selectDyad(edges[0].source, edges[0].target, false);
}

// --- alerts: the view's filters apply; each alert explains itself ---------------------------------
function alertFilters() {
  const f = filters(), q = new URLSearchParams();
  for (const k of ["from", "to", "country"]) if (f.get(k)) q.set(k, f.get(k));
  if (f.get("source") && f.get("target")) q.set("dyad", `${f.get("source")},${f.get("target")}`);
  else if (f.get("source") || f.get("target")) q.set("country", f.get("source") || f.get("target"));
  return q;
}

function explain(a) {
  const box = el("div", { class: "explanation" });
  const x = a.explanation;
  if (!x) { box.appendChild(el("p", { class: "hint" }, "no explanation stored (an alert from an older tocsin)")); return box; }
  const base = x.baseline_mean == null ? "" : `; baseline over ${x.baseline_days} days ${x.baseline_mean.toFixed(1)} ± ${x.baseline_std.toFixed(1)}`;
  box.appendChild(el("p", { class: "why" }, `today's value ${x.value.toFixed(1)}${base}; ${x.events} events in ${x.articles} article(s) from ${x.sources} outlet(s), mean Goldstein ${x.goldstein_mean.toFixed(1)}`));
  const ol = el("ol", { class: "top-events" });
  for (const t of x.top_events) {
    const li = el("li", { "data-id": t.id });
    li.appendChild(el("b", {}, `${t.event_type} ${t.source || "?"} → ${t.target || "?"}${t.dead ? ", " + t.dead + " dead" : ""} (${t.num_articles} article${t.num_articles === 1 ? "" : "s"}): `));
    li.appendChild(document.createTextNode(t.evidence));
    li.addEventListener("click", ev => { ev.stopPropagation(); showEvidence(t.id).catch(showError); });
    ol.appendChild(li);
  }
  box.appendChild(ol);
  return box;
}

function alertItem(a) {
  const li = el("li", { "data-rule": a.rule, "data-id": a.id });
  li.appendChild(el("b", {}, a.rule + " "));
  li.appendChild(document.createTextNode(`${a.date} ${named(a.source)} – ${named(a.target)}: ${a.message}`));
  li.addEventListener("click", () => {
    const box = document.getElementById("evidence");
    box.replaceChildren(el("p", { class: "meta" }, `${a.rule} · ${a.date} · ${named(a.source)} – ${named(a.target)} · score ${a.score.toFixed(1)}`), explain(a));
    selectDyad(a.source, a.target, !!(a.explanation && a.explanation.undirected)).catch(showError);
  });
  return li;
}

async function loadAlerts() {
  const q = alertFilters();
  q.set("limit", state.alertLimit);
  q.set("offset", state.alertOffset);
  const page = await api("/api/alerts?" + q);
  const ul = document.getElementById("alerts");
  ul.replaceChildren(...page.items.map(alertItem));
  if (!page.items.length) ul.appendChild(el("li", { class: "hint" }, "no alerts in this view"));
  state.alertTotal = page.total;
  document.getElementById("alert-count").textContent = `(${page.total})`;
  document.getElementById("alerts-page").textContent = page.items.length ? `${state.alertOffset + 1}–${state.alertOffset + page.items.length} of ${page.total}` : "";
  document.getElementById("alerts-prev").disabled = state.alertOffset === 0;
  document.getElementById("alerts-next").disabled = state.alertOffset + state.alertLimit >= page.total;
}

function listen() {
  if (!window.EventSource) return;
  const es = new EventSource("/api/stream");
  es.addEventListener("alert", () => { loadAlerts().catch(showError); });
  es.addEventListener("ingest", () => { Promise.all([loadEvents(), loadNetwork(), loadMap()]).catch(showError); });
}

async function refresh() {
  clearError();
  saveView();
  const had = state.dyad;
  try {
    // Wait for every part, so that none of them repaints after an error has cleared the view.
    const done = await Promise.allSettled([loadEvents(), loadNetwork(), loadMap(), loadAlerts()]);
    const failed = done.find(r => r.status === "rejected");
    if (failed) throw failed.reason;
    if (had) await selectDyad(had[0], had[1], state.dyadBoth);
  } catch (err) {
    clearResults();
    document.getElementById("dyad-label").textContent = "";
    showError(err);
  }
}

async function main() {
  const sel = document.querySelector("#filters select[name=type]");
  for (const t of TYPES) sel.appendChild(el("option", { value: t }, t));
  const form = document.getElementById("filters");
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    state.dyad = null; state.offset = 0; state.alertOffset = 0;
    await refresh();
    document.body.setAttribute("data-applied", String(Date.now()));
  });
  const page = async fn => { fn(); clearError(); saveView(); try { await loadEvents(); } catch (e) { clearResults(); showError(e); } };
  document.getElementById("prev").addEventListener("click", () => page(() => { state.offset = Math.max(0, state.offset - state.limit); }));
  document.getElementById("next").addEventListener("click", () => page(() => { if (state.offset + state.limit < state.total) state.offset += state.limit; }));
  const alertPage = async fn => { fn(); try { await loadAlerts(); } catch (e) { showError(e); } };
  document.getElementById("alerts-prev").addEventListener("click", () => alertPage(() => { state.alertOffset = Math.max(0, state.alertOffset - state.alertLimit); }));
  document.getElementById("alerts-next").addEventListener("click", () => alertPage(() => { if (state.alertOffset + state.alertLimit < state.alertTotal) state.alertOffset += state.alertLimit; }));
  try {
    state.names = await api("/api/countries");
    await drawWorld();
    const fromLink = fromUrl();
    // Open on the news: the last 30 days of publication of the stored articles (not event dates,
    // which a misdated event could push to 2050), unless the URL names a view.
    const summary = await api("/api/summary");
    if (!fromLink && summary.last_published) {
      form.elements.from.value = addDays(summary.last_published, -30);
      form.elements.to.value = summary.last_published;
    }
    document.getElementById("window").textContent = `${summary.articles} articles published ${summary.first_published || "?"} – ${summary.last_published || "?"}; ` +
      `${summary.events} events${summary.noncurrent_events ? `, of which ${summary.noncurrent_events} are not current news (dated after their report or long before it) and hidden unless "non-current" is ticked` : ""}.`;
  } catch (err) {
    showError(err);
  }
  await refresh();
  listen();
  document.body.setAttribute("data-ready", "true");
}

main().catch(err => {
  document.body.setAttribute("data-error", String(err));
  showError(err);
  console.error(err);
});
