// End-to-end checks of the tocsin dashboard in headless Chromium, on a store holding the seed story
// (September 2023) and 252 real news summaries of April–June 2025.
// Usage: node dashboard.mjs URL SCREENSHOT_DIR   (exit 0 = all checks passed; screenshots saved there)
import http from "node:http";
import { chromium } from "playwright-core";

const [url, shots] = process.argv.slice(2);
const base = url.replace(/\/$/, "");
const results = {};
const fail = (msg) => { console.error("FAIL: " + msg); process.exitCode = 1; };
const check = (ok, msg) => { if (!ok) fail(msg); };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run"],
});
// A page on another origin (another port of this machine) that tries to plant an event.
const attacker = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/html" });
  res.end(`<!doctype html><title>elsewhere</title><body><script>
    const target = ${JSON.stringify(base)} + "/api/articles";
    const fake = JSON.stringify({ id: "planted", published: "2025-06-30", text: "Chinese warships attacked a Philippine vessel near Scarborough Shoal on Monday, killing 3." });
    window.outcomes = [];
    (async () => {
      for (const [name, init] of [
        ["text/plain no-cors", { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" }, body: fake }],
        ["form-urlencoded no-cors", { method: "POST", mode: "no-cors", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: fake }],
        ["json cors", { method: "POST", mode: "cors", headers: { "Content-Type": "application/json" }, body: fake }],
      ]) {
        try { const r = await fetch(target, init); window.outcomes.push(name + ": " + r.type + " " + r.status); }
        catch (e) { window.outcomes.push(name + ": blocked (" + e.message + ")"); }
      }
      document.body.setAttribute("data-done", "true");
    })();
  </script></body>`);
});
await new Promise((ok) => attacker.listen(0, "127.0.0.1", ok));
const attackerUrl = `http://127.0.0.1:${attacker.address().port}/`;

async function applied(page) {
  const before = await page.getAttribute("body", "data-applied");
  await page.click("#filters button[type=submit]");
  await page.waitForFunction((b) => document.body.getAttribute("data-applied") !== b, before, { timeout: 20000 });
}

async function fill(page, values) {
  for (const [k, v] of Object.entries(values)) await page.fill(`#filters [name=${k}]`, v);
}

try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error" && !m.text().includes("400")) problems.push("console: " + m.text()); });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  results.firstPaintMs = Date.now() - t0;

  // 1. It opens on the news: the last 30 days of publication, not on the seed's 2023 nor on any event date.
  const from = await page.inputValue("#filters [name=from]"), to = await page.inputValue("#filters [name=to]");
  check(from === "2025-05-31" && to === "2025-06-30", `opens on ${from}..${to}, want 2025-05-31..2025-06-30`);
  const dates = await page.$$eval("#events tbody tr td:first-child", (tds) => tds.map((t) => t.textContent));
  check(dates.length > 0 && dates.every((d) => d >= from && d <= to), `table rows outside the window: ${dates}`);
  check(await page.isHidden("#error"), "no error on first paint");

  // 2. Alerts follow the window and explain themselves: baseline, today's value, top events with evidence.
  const alertDates = await page.$$eval("#alerts li[data-rule]", (ls) => ls.map((l) => l.textContent.slice(l.querySelector("b").textContent.length, l.querySelector("b").textContent.length + 10)));
  check(alertDates.length > 0 && alertDates.every((d) => d >= from && d <= to), `alerts outside the window: ${alertDates}`);
  const esc = await page.$("#alerts li[data-rule=escalation]");
  check(esc, "an escalation alert is listed");
  if (esc) {
    await esc.click();
    await page.waitForSelector("#evidence .explanation .top-events li", { timeout: 10000 });
    const why = await page.textContent("#evidence .explanation .why");
    check(/today's value [\d.]+; baseline over 28 days [\d.]+ ± [\d.]+; \d+ events in \d+ article/.test(why), `explanation: ${why}`);
    const articles = Number((why.match(/in (\d+) article/) || [])[1]);
    check(articles >= 2, `an escalation alert rests on ${articles} article(s)`);
    const top = await page.$$eval("#evidence .top-events li", (ls) => ls.map((l) => l.textContent));
    check(top.length >= 1 && top.every((t) => t.length > 40), `top events with evidence: ${top}`);
    await page.waitForFunction(() => document.querySelectorAll("#timeline rect.bar").length > 0, null, { timeout: 10000 });
  }
  results.alerts = await page.$$eval("#alerts li[data-rule]", (ls) => ls.length);
  await page.screenshot({ path: `${shots}/dashboard.png`, fullPage: true });

  // 3. The timeline follows the filter window, day by day, with years on the axis, and draws every day.
  const bars = await page.$$eval("#timeline rect.bar", (b) => b.map((r) => r.dataset.period));
  check(bars.length === 31 && bars[0] === "2025-05-31" && bars[30] === "2025-06-30", `timeline bars ${bars.length}: ${bars[0]}..${bars[bars.length - 1]}`);
  const ticks = await page.$$eval("#timeline text.tick", (t) => t.map((x) => x.textContent));
  check(ticks.length > 0 && ticks.every((t) => /^2025-/.test(t)), `axis labels carry the year: ${ticks}`);
  const path = await page.$eval("#timeline path.index", (p) => p.getAttribute("d")).catch(() => "");
  check(!path.includes("NaN"), "no NaN in the index path");

  // 4. The map shows the whole filtered set as aggregated markers, not just the table's page.
  const markers = await page.$$eval("#map circle.marker", (m) => m.map((c) => Number(c.dataset.events)));
  const placed = markers.reduce((a, b) => a + b, 0);
  const mapCount = await page.textContent("#map-count");
  check(mapCount.startsWith(`(${placed} placed events in ${markers.length} places`), `map count ${mapCount} vs markers ${placed}/${markers.length}`);
  const total = Number((await page.textContent("#event-count")).replace(/\D/g, ""));
  check(total > 25 && placed > 25, `the map (${placed}) covers more than one page of the table (${total})`);

  // 5. The network: top edges with their weights, self-loops drawn, country names on hover.
  const weights = await page.$$eval("#network text.weight", (t) => t.map((x) => Number(x.textContent)));
  check(weights.length >= 3 && weights.length <= 30 && weights.every((w) => w >= 1), `edge weights ${weights}`);
  const loops = await page.$$eval("#network circle.loop", (c) => c.map((x) => x.dataset.dyad));
  check(loops.length >= 1, "self-loops are drawn");
  const isr = await page.$$eval("#network text.label title", (ts) => ts.map((t) => t.textContent));
  check(isr.includes("ISR (Israel)"), `country names next to codes: ${isr.slice(0, 5)}`);
  results.edges = weights.length;
  results.loops = loops.length;

  // 6. Case-insensitive filters, evidence highlighted and with the article's title and link.
  await fill(page, { from: "2025-06-13", to: "2025-06-13", country: "irn" });
  await applied(page);
  const types = await page.$$eval("#events tbody tr", (rows) => rows.map((r) => r.dataset.type));
  check(types.includes("ASSAULT"), `lower-case irn finds the strikes of 13 June 2025 (${types})`);
  const near = await page.$$eval("#map circle.marker", (m) => m.some((c) => c.dataset.lat > 25 && c.dataset.lat < 40 && c.dataset.lon > 34 && c.dataset.lon < 62 && Number(c.dataset.conflict) > 0));
  check(near, "a conflict marker in Iran or Israel");
  const names = await page.$$eval("#events tbody tr td:nth-child(4)", (t) => t.map((x) => x.textContent));
  check(names.some((c) => c.includes("(Iran)") || c.includes("(Israel)")), `country names in the table: ${names.slice(0, 3)}`);
  await page.click("#events tbody tr[data-type=ASSAULT]");
  await page.waitForSelector("#evidence mark.trg", { timeout: 10000 });
  const marks = await page.$$eval("#evidence .evidence-item:first-of-type mark", (ms) => ms.map((m) => m.className));
  check(marks.includes("trg") && (marks.includes("src") || marks.includes("tgt")), `evidence highlights trigger and actors: ${marks}`);
  const link = await page.$eval("#evidence .evidence-item a.article", (a) => [a.textContent, a.href]).catch(() => ["", ""]);
  check(link[0].length > 3 && /^https?:\/\//.test(link[1]), `evidence links its article: ${link}`);
  const source = await page.textContent("#evidence .evidence-item:first-of-type .meta");
  check(/ · 2025-06-1[34] · sentence \d+/.test(source), `article line names its publication date: ${source}`);
  await page.waitForFunction(() => /\((Iran|Israel)\)/.test(document.querySelector("#dyad-label").textContent), null, { timeout: 10000 });
  // The seed story of 2023 is there too, outside the default window.
  await fill(page, { from: "2023-09-01", to: "2023-09-30", country: "srb" });
  await applied(page);
  const seed = await page.$$eval("#events tbody tr", (rows) => rows.length);
  check(seed >= 3, `srb in September 2023: ${seed} events`);
  await page.screenshot({ path: `${shots}/dashboard-filtered.png`, fullPage: true });

  // 7. The view is a shareable URL, and the filtered set exports as CSV and JSON Lines.
  await fill(page, { from: "2025-04-15", to: "2025-06-30", country: "isr" });
  await applied(page);
  const shared = page.url();
  check(shared.includes("country=isr") && shared.includes("from=2025-04-15"), `URL holds the view: ${shared}`);
  const isrTotal = await page.textContent("#event-count");
  const csvHref = await page.getAttribute("#export-csv", "href");
  const csv = await page.evaluate(async (h) => (await fetch(h)).text(), csvHref);
  const jsonl = await page.evaluate(async (h) => (await fetch(h)).text(), await page.getAttribute("#export-jsonl", "href"));
  const n = Number(isrTotal.replace(/\D/g, ""));
  check(csv.trim().split("\n").length === n + 1, `CSV has ${csv.trim().split("\n").length - 1} rows for ${n} events`);
  check(jsonl.trim().split("\n").length === n, `JSONL has ${jsonl.trim().split("\n").length} lines for ${n} events`);
  const other = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
  await other.goto(shared);
  await other.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  check(await other.inputValue("#filters [name=country]") === "isr" && await other.textContent("#event-count") === isrTotal, "the shared link opens the same view");
  await other.close();

  // 8. The pager stops at the end.
  let guard = 0;
  while (!(await page.isDisabled("#next")) && guard++ < 50) {
    const before = await page.textContent("#page");
    await page.click("#next");
    await page.waitForFunction((b) => document.querySelector("#page").textContent !== b, before, { timeout: 10000 });
  }
  const last = await page.textContent("#page");
  const [, hi, of] = last.match(/–(\d+) of (\d+)/) || [];
  check(hi && hi === of, `last page reads ${last}`);
  check(await page.isDisabled("#next"), "next is disabled on the last page");

  // 9. Errors are shown, name the parameter, and clear the stale results.
  await fill(page, { q: "NEAR(" });
  await applied(page);
  const err = await page.textContent("#error");
  check(await page.isVisible("#error") && err.includes("parameter: q"), `error banner: ${err}`);
  const stale = await page.evaluate(() => ["#events tbody tr", "#map circle.marker", "#alerts li", "#network line", "#timeline rect"].map((s) => document.querySelectorAll(s).length));
  check(stale.every((n) => n === 0), `stale results cleared: ${stale}`);
  await page.screenshot({ path: `${shots}/dashboard-error.png`, fullPage: true });
  await fill(page, { q: "" });
  await applied(page);
  check(await page.isHidden("#error"), "the error goes once the query is fixed");

  // 10. Writes: a same-origin JSON POST from the dashboard works; a page on another origin cannot plant an event.
  const before = await page.evaluate(async () => (await (await fetch("/api/summary")).json()).articles);
  const own = await page.evaluate(async () => {
    const r = await fetch("/api/articles", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ id: "same-origin", published: "2025-06-30", text: "Indian troops shelled Pakistani posts on Monday." }) });
    return r.status;
  });
  check(own === 200, `same-origin JSON write: ${own}`);
  const evil = await browser.newPage();
  await evil.goto(attackerUrl);
  await evil.waitForFunction(() => document.body.dataset.done === "true", null, { timeout: 20000 });
  const outcomes = await evil.evaluate(() => window.outcomes);
  await evil.close();
  const after = await page.evaluate(async () => (await (await fetch("/api/summary")).json()).articles);
  const planted = await page.evaluate(async () => (await (await fetch("/api/events?q=Scarborough&noncurrent=true")).json()).total);
  check(after === before + 1 && planted === 0, `cross-origin writes stored something: articles ${before} → ${after}, planted ${planted}; ${outcomes}`);
  results.crossOrigin = outcomes;

  if (problems.length) fail("browser reported errors:\n" + problems.join("\n"));
  console.log(JSON.stringify(results));
} finally {
  await browser.close();
  attacker.close();
}
