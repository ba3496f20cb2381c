// Dashboard first paint: time from navigation until the dashboard has drawn its data (body[data-ready]).
// Usage: node first-paint.mjs URL [RUNS]
import { chromium } from "playwright-core";

const [url, runs = "5"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const times = [];
for (let i = 0; i < Number(runs); i++) {
  const page = await browser.newPage();
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 120000 });
  times.push(Date.now() - t0);
  await page.close();
}
await browser.close();
times.sort((a, b) => a - b);
console.log(`dashboard first paint (data drawn): p50 ${times[Math.floor(times.length / 2)]} ms, max ${times[times.length - 1]} ms over ${times.length} loads`);
