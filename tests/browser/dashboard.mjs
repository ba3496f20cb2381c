// End-to-end check of the tocsin dashboard in headless Chromium.
// Usage: node dashboard.mjs URL SCREENSHOT.png   (exit 0 = all checks passed)
import { chromium } from "playwright-core";

const [url, shot] = process.argv.slice(2);
const fail = (msg) => { console.error("FAIL: " + msg); process.exitCode = 1; };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text()); });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  const firstPaintMs = Date.now() - t0;

  // The seed story's events are in the table.
  const types = await page.$$eval("#events tbody tr", (rows) => rows.map((r) => r.dataset.type));
  for (const t of ["ASSAULT", "CONSULT", "REQUEST", "REJECT", "MOBILIZE", "AID"]) if (!types.includes(t)) fail(`no ${t} row in the event table (${types})`);

  // The ASSAULT marker sits near Banjska (42.97 N, 20.77 E; placed at Mitrovica, 12 km away) and is drawn inside the map.
  const marker = await page.$("#map circle.marker[data-type=ASSAULT]");
  if (!marker) fail("no ASSAULT marker on the map");
  else {
    const lat = Number(await marker.getAttribute("data-lat")), lon = Number(await marker.getAttribute("data-lon"));
    if (Math.abs(lat - 42.97) > 0.25 || Math.abs(lon - 20.77) > 0.25) fail(`ASSAULT marker at ${lat},${lon}, not near Banjska`);
    const m = await marker.boundingBox(), map = await (await page.$("#map")).boundingBox();
    if (!m || m.x < map.x || m.y < map.y || m.x > map.x + map.width || m.y > map.y + map.height) fail("ASSAULT marker is outside the map");
    // Kosovo's outline is drawn around it.
    const kosovo = await page.$$eval("#map path.country title", (ts) => ts.some((t) => t.textContent === "Kosovo"));
    if (!kosovo) fail("country outlines missing (no Kosovo)");
  }

  // Clicking the ASSAULT row shows its evidence with source, trigger, target, date and place highlighted.
  await page.click("#events tbody tr[data-type=ASSAULT]");
  await page.waitForSelector("#evidence mark.trg", { timeout: 10000 });
  const marks = await page.$$eval("#evidence .evidence-item:first-of-type mark", (ms) => Object.fromEntries(ms.map((m) => [m.className, m.textContent])));
  const want = { trg: "fought with", src: "Serbian commando group", tgt: "Kosovar police", date: "Sunday", place: "Banjska near Mitrovica" };
  for (const [cls, text] of Object.entries(want)) if (marks[cls] !== text) fail(`evidence highlight ${cls} = ${JSON.stringify(marks[cls])}, want ${JSON.stringify(text)}`);

  // The timeline renders for the selected pair.
  await page.waitForFunction(() => document.querySelector("#dyad-label").textContent.includes("SRB → XKX"), null, { timeout: 10000 });
  const bars = await page.$$eval("#timeline rect.bar", (b) => b.length);
  if (bars < 1) fail("timeline has no bars");

  // Alerts and the actor network are listed.
  const rules = await page.$$eval("#alerts li", (ls) => ls.map((l) => l.dataset.rule));
  if (!rules.includes("deadly-assault")) fail(`no deadly-assault alert (${rules})`);
  const edges = await page.$$eval("#network line", (ls) => ls.length);
  if (edges < 3) fail(`actor network has ${edges} edges`);

  if (problems.length) fail("browser reported errors:\n" + problems.join("\n"));
  const second = await page.$$eval("#evidence .evidence-item:nth-of-type(2) mark.trg", (ms) => ms.map((m) => m.textContent));
  if (second[0] !== "killed") fail(`second report of the clash should highlight "killed", got ${second}`);
  await page.screenshot({ path: shot, fullPage: true });
  console.log(JSON.stringify({ rows: types.length, bars, edges, alerts: rules.length, firstPaintMs, screenshot: shot }));
} finally {
  await browser.close();
}
