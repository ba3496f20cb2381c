// tocsin dashboard: plain JavaScript, no build step. Everything it draws comes from the JSON API.
"use strict";

const TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
  "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
const SVG = "http://www.w3.org/2000/svg";
const state = { offset: 0, limit: 25, dyad: null, world: null };

function el(tag, attrs, text) {
  const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function filters() {
  const data = new FormData(document.getElementById("filters"));
  const q = new URLSearchParams();
  for (const [k, v] of data.entries()) if (String(v).trim()) q.set(k, String(v).trim());
  return q;
}

async function api(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(path + ": " + r.status + " " + (await r.text()));
  return r.json();
}

// --- map: TopoJSON decoding and an equirectangular projection -------------------------------------
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
  state.world = g;
}

function drawMarkers(events) {
  const svg = document.getElementById("map");
  svg.querySelectorAll("circle.marker").forEach(c => c.remove());
  const placed = events.filter(e => e.location);
  for (const e of placed) {
    const [x, y] = project(e.location.lon, e.location.lat);
    const c = el("svg:circle", { cx: x, cy: y, r: 1.5, class: "marker q" + e.quad_class,
      "data-id": e.id, "data-type": e.event_type, "data-lat": e.location.lat, "data-lon": e.location.lon });
    c.appendChild(el("svg:title", {}, `${e.event_type} ${e.location.name} ${e.date || ""}`));
    c.addEventListener("click", () => showEvidence(e.id));
    svg.appendChild(c);
  }
  // Zoom to the markers (with a margin), or show the world.
  if (placed.length) {
    const xy = placed.map(e => project(e.location.lon, e.location.lat));
    const xs = xy.map(p => p[0]), ys = xy.map(p => p[1]);
    const pad = 12, w = Math.max(...xs) - Math.min(...xs) + 2 * pad, h = Math.max(...ys) - Math.min(...ys) + 2 * pad;
    const side = Math.max(w, h * 2, 24);
    const cx = (Math.max(...xs) + Math.min(...xs)) / 2, cy = (Math.max(...ys) + Math.min(...ys)) / 2;
    svg.setAttribute("viewBox", `${cx - side / 2} ${cy - side / 4} ${side} ${side / 2}`);
    svg.querySelectorAll("circle.marker").forEach(c => c.setAttribute("r", side / 120));
  } else {
    svg.setAttribute("viewBox", "0 0 960 480");
  }
}

// --- events table and evidence -------------------------------------------------------------------
function actorLabel(a) { return a ? `${a.code} (${a.text})` : "–"; }

async function loadEvents() {
  const q = filters();
  q.set("limit", state.limit);
  q.set("offset", state.offset);
  const page = await api("/api/events?" + q);
  const body = document.querySelector("#events tbody");
  body.replaceChildren();
  for (const e of page.items) {
    const tr = el("tr", { "data-id": e.id, "data-type": e.event_type });
    for (const v of [e.date || "–", e.event_type, actorLabel(e.source), actorLabel(e.target),
      e.location ? e.location.name : "–", e.dead == null ? "–" : e.dead, e.num_mentions]) tr.appendChild(el("td", {}, String(v)));
    tr.addEventListener("click", () => showEvidence(e.id, tr));
    body.appendChild(tr);
  }
  document.getElementById("event-count").textContent = `(${page.total})`;
  document.getElementById("page").textContent = page.total
    ? `${state.offset + 1}–${Math.min(state.offset + state.limit, page.total)} of ${page.total}` : "none";
  drawMarkers(page.items);
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

async function showEvidence(id, row) {
  document.querySelectorAll("#events tr.selected").forEach(r => r.classList.remove("selected"));
  if (row) row.classList.add("selected");
  const d = await api("/api/events/" + encodeURIComponent(id));
  const box = document.getElementById("evidence");
  box.replaceChildren();
  const head = el("p", { class: "meta" }, `${d.event_type} (CAMEO ${d.cameo}, Goldstein ${d.goldstein}) · ${d.date || "no date"}` +
    ` · ${d.modality}${d.attribution ? " · according to " + d.attribution : ""} · ${d.num_mentions} mention(s) in ${d.num_articles} article(s)`);
  box.appendChild(head);
  for (const r of d.reports) {
    const item = el("div", { class: "evidence-item", "data-article": r.article_id });
    item.appendChild(el("div", { class: "meta" }, `${r.outlet || r.article_id}, sentence ${r.sentence + 1}`));
    item.appendChild(highlight(r.evidence, r.record));
    box.appendChild(item);
  }
  if (d.source && d.target) selectDyad(d.source.country || d.source.org || d.source.code, d.target.country || d.target.org || d.target.code);
}

// --- timeline ------------------------------------------------------------------------------------
// Daily points with the missing days filled in, so the time axis is continuous.
function fillDays(points) {
  if (points.length < 2 || !/^\d{4}-\d{2}-\d{2}$/.test(points[0].period)) return points;
  const byDay = new Map(points.map(p => [p.period, p]));
  const out = [];
  const end = new Date(points[points.length - 1].period + "T00:00:00Z");
  for (let d = new Date(points[0].period + "T00:00:00Z"); d <= end && out.length < 3660; d.setUTCDate(d.getUTCDate() + 1)) {
    const day = d.toISOString().slice(0, 10);
    out.push(byDay.get(day) || { period: day, events: 0, goldstein_mean: 0 });
  }
  return out;
}

async function selectDyad(src, tgt) {
  state.dyad = [src, tgt];
  document.getElementById("dyad-label").textContent = `${src} → ${tgt}`;
  const s = await api(`/api/dyads/${encodeURIComponent(src)}/${encodeURIComponent(tgt)}/series`);
  const svg = document.getElementById("timeline");
  svg.replaceChildren();
  const pts = fillDays(s.points);
  if (!pts.length) { svg.appendChild(el("svg:text", { x: 10, y: 20 }, "no dated events for this pair")); return; }
  const max = Math.max(...pts.map(p => p.events), 1);
  const w = 960 / pts.length;
  pts.forEach((p, i) => {
    const h = p.events / max * 150;
    const bar = el("svg:rect", { x: i * w + 2, y: 170 - h, width: Math.max(w - 4, 1), height: h, class: "bar", "data-period": p.period });
    bar.appendChild(el("svg:title", {}, `${p.period}: ${p.events} events, Goldstein ${p.goldstein_mean.toFixed(1)}`));
    svg.appendChild(bar);
    if (pts.length <= 31 || i % Math.ceil(pts.length / 12) === 0) svg.appendChild(el("svg:text", { x: i * w + 2, y: 190 }, p.period.slice(5)));
  });
  if (s.index.length) {
    const zmax = Math.max(...s.index.map(p => Math.abs(p.z)), 1);
    const at = new Map(pts.map((p, i) => [p.period, i]));
    const d = s.index.map((p, i) => `${i ? "L" : "M"}${(at.get(p.period) + .5) * w},${90 - p.z / zmax * 80}`).join("");
    svg.appendChild(el("svg:path", { d, class: "index" }));
  }
}

// --- network -------------------------------------------------------------------------------------
async function loadNetwork() {
  const edges = await api("/api/network?" + filters());
  const svg = document.getElementById("network");
  svg.replaceChildren();
  const nodes = [...new Set(edges.flatMap(e => [e.source, e.target]))];
  const pos = {};
  nodes.forEach((n, i) => {
    const a = 2 * Math.PI * i / Math.max(nodes.length, 1);
    pos[n] = [210 + 150 * Math.cos(a), 210 + 150 * Math.sin(a)];
  });
  const max = Math.max(...edges.map(e => e.events), 1);
  for (const e of edges) {
    const [x1, y1] = pos[e.source], [x2, y2] = pos[e.target];
    const line = el("svg:line", { x1, y1, x2, y2, "stroke-width": 1 + 5 * e.events / max,
      class: e.goldstein_sum < 0 ? "conflict" : "coop", "data-dyad": `${e.source}-${e.target}` });
    line.appendChild(el("svg:title", {}, `${e.source} → ${e.target}: ${e.events} events`));
    line.addEventListener("click", () => selectDyad(e.source, e.target));
    svg.appendChild(line);
  }
  for (const n of nodes) {
    svg.appendChild(el("svg:circle", { cx: pos[n][0], cy: pos[n][1], r: 7 }));
    svg.appendChild(el("svg:text", { x: pos[n][0] + 9, y: pos[n][1] + 4 }, n));
  }
  if (!state.dyad && edges.length) selectDyad(edges[0].source, edges[0].target);
}

// --- alerts ----------------------------------------------------------------------------------------
function alertItem(a) {
  const li = el("li", { "data-rule": a.rule });
  li.appendChild(el("b", {}, a.rule + " "));
  li.appendChild(document.createTextNode(`${a.date} ${a.source} → ${a.target}: ${a.message}`));
  if (a.event_ids && a.event_ids.length) li.addEventListener("click", () => showEvidence(a.event_ids[0]));
  return li;
}

async function loadAlerts() {
  const alerts = await api("/api/alerts");
  const ul = document.getElementById("alerts");
  ul.replaceChildren(...alerts.map(alertItem));
  if (!alerts.length) ul.appendChild(el("li", { class: "hint" }, "no alerts"));
}

function listen() {
  if (!window.EventSource) return;
  const es = new EventSource("/api/stream");
  es.addEventListener("alert", m => {
    const a = JSON.parse(m.data).alert;
    const ul = document.getElementById("alerts");
    ul.querySelectorAll("li.hint").forEach(h => h.remove());
    ul.prepend(alertItem(a));
  });
  es.addEventListener("ingest", () => { loadEvents(); loadNetwork(); });
}

async function refresh() {
  state.offset = 0;
  await Promise.all([loadEvents(), loadNetwork(), loadAlerts()]);
}

async function main() {
  const sel = document.querySelector("#filters select[name=type]");
  for (const t of TYPES) sel.appendChild(el("option", { value: t }, t));
  document.getElementById("filters").addEventListener("submit", ev => { ev.preventDefault(); state.dyad = null; refresh(); });
  document.getElementById("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - state.limit); loadEvents(); });
  document.getElementById("next").addEventListener("click", () => { state.offset += state.limit; loadEvents(); });
  await drawWorld();
  // Open on the last 30 days of data: server-side aggregation stays fast on large stores.
  const summary = await api("/api/summary");
  const form = document.getElementById("filters");
  if (summary.last_date && !form.elements.from.value && !form.elements.to.value) {
    const from = new Date(summary.last_date + "T00:00:00Z");
    from.setUTCDate(from.getUTCDate() - 30);
    form.elements.from.value = from.toISOString().slice(0, 10);
    form.elements.to.value = summary.last_date;
  }
  await refresh();
  listen();
  document.body.setAttribute("data-ready", "true");
}

main().catch(err => {
  document.body.setAttribute("data-error", String(err));
  console.error(err);
});
