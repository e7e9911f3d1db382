// Issue 12 key-list metrics, measured in Chromium (Debian's, headless) on
// the built renderer over the real preload, dispatcher and vault
// (test/support/browser-bridge.ts), with 10,000 keys in the region:
//   keys.seed            keys created per second through the service (32 in flight)
//   keys.load            ms from signing in to the first rows: every
//                        ListKeyDetails and ListAliases page over the bridge,
//                        then the render (reported; no target)
//   keys.first_render    ms from opening the Keys screen with the list already
//                        read (TanStack Query's cache) to the frame after its
//                        rows are in the DOM (target < 300 ms)
//   keys.filter          ms from a filter's change event to the frame after the
//                        filtered rows are in the DOM (target < 50 ms), for the
//                        selects and the search box
//   keys.scroll_longtasks  long tasks (> 50 ms, PerformanceObserver 'longtask')
//                        while the list scrolls from top to bottom (target 0),
//                        the median of three passes, each pass's count beside it;
//                        keys.scroll_frame_p95 the 95th percentile frame interval
//   renderer.js_gzip     the renderer bundle's JavaScript, gzipped (target < 1 MB)
// Each timed step runs several times; the median is the value, and the
// spread (min–max) is printed beside it. TRACE=<file> writes a Chrome trace
// of the scroll (what a long task was: a GC, a render, a layout).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import type { InputOf } from '../../main/api/index.js';
import { VaultHost } from '../../main/session/vault-host.js';
import { launchChromium, startBrowserBridge } from '../support/browser-bridge.js';
import { ADMIN_PASSPHRASE, makeVault } from '../support/vault.js';
import { JSON_OUTPUT, report } from './harness.js';

const KEYS = 10_000;
const IN_FLIGHT = 32;
const REPEATS = 7;
const SCROLL_PASSES = 3;
const RENDERER_ASSETS = join(process.cwd(), 'dist', 'renderer', 'assets');

/** Page-side helpers: the time from an action to the frame after the DOM shows its result. */
const PAGE_HELPERS = `(() => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const until = async (test) => { while (!test()) await new Promise((r) => requestAnimationFrame(r)); };
  const rows = () => document.querySelectorAll('tbody tr[data-key-id]').length;
  const status = () => document.querySelector('.keys-screen p[role=status]')?.textContent ?? '';
  // bridge calls in flight (the test transport's preload calls fetch for each)
  let inflight = 0;
  const fetch = window.fetch;
  window.fetch = (...args) => { inflight++; return fetch(...args).finally(() => inflight--); };
  window.__bench = {
    // ten frames in a row with no bridge call in flight
    async idle() {
      for (let quiet = 0; quiet < 10; ) { await frame(); quiet = inflight === 0 ? quiet + 1 : 0; }
    },
    async open(hash, ready) {
      const t0 = performance.now();
      location.hash = hash;
      await until(() => document.querySelector(ready));
      await frame();
      return performance.now() - t0;
    },
    // sets a select or the search box as a person would (an input/change event React hears), then waits for the status line to change
    async filter(selector, value) {
      const el = document.querySelector(selector);
      const before = status();
      const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
      const t0 = performance.now();
      Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
      el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
      await until(() => status() !== before || performance.now() - t0 > 2000);
      await frame();
      return { ms: performance.now() - t0, status: status(), rows: rows() };
    },
    async scroll(step) {
      const el = document.querySelector('.key-scroll');
      el.scrollTop = 0;
      await frame();
      const long = [];
      const observer = new PerformanceObserver((list) => long.push(...list.getEntries().map((e) => e.duration)));
      observer.observe({ type: 'longtask' });
      const frames = [];
      let last = performance.now();
      let maxRows = 0;
      while (el.scrollTop + el.clientHeight < el.scrollHeight - 1) {
        el.scrollTop += step;
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        frames.push(now - last);
        last = now;
        maxRows = Math.max(maxRows, rows());
      }
      await frame();
      observer.disconnect();
      const lastId = [...document.querySelectorAll('tbody tr[data-key-id]')].at(-1)?.dataset.keyId;
      return { long, frames, maxRows, lastId };
    },
  };
})()`;

export async function benchKeyList(): Promise<void> {
  const t = await makeVault();
  const bridge = await startBrowserBridge({ host: VaultHost.of(t.vault), cwd: t.dir });
  const browser = await launchChromium();
  try {
    // seed: the service as any caller uses it, IN_FLIGHT calls at a time
    let next = 0;
    const seedStart = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < KEYS) {
          const i = next++;
          const shape: InputOf<'CreateKey'> = i % 10 === 0 ? { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' } : i % 7 === 0 ? { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' } : {};
          const { KeyMetadata } = await t.call('CreateKey', { ...shape, Description: `bench key ${i}` });
          if (i % 50 === 0) await t.call('CreateAlias', { AliasName: `alias/bench-${i}`, TargetKeyId: KeyMetadata.KeyId });
        }
      }),
    );
    const seedSeconds = (performance.now() - seedStart) / 1000;
    report({ metric: 'keys.seed', value: KEYS / seedSeconds, unit: 'keys/s', reference: `${seedSeconds.toFixed(1)} s for ${KEYS}`, ratio: null });

    const page = await bridge.open(browser);
    await page.setViewportSize({ width: 1280, height: 800 });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    // evaluated by the test driver, not as a <script> (the CSP refuses inline scripts)
    await page.evaluate(PAGE_HELPERS);

    // sign in; the Keys screen is the first one: the whole list over the bridge, then the render
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill(ADMIN_PASSPHRASE);
    const loadStart = performance.now();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('tbody tr[data-key-id]').first().waitFor({ timeout: 120_000 });
    const load = performance.now() - loadStart;
    report({ metric: 'keys.load', value: load, unit: 'ms', reference: `${KEYS} keys, sign-in to rows`, ratio: null });
    await page.getByText(`${KEYS.toLocaleString('en-US')} keys in local-1.`).waitFor();
    await settle(page);

    // first render from the cache: leave for Aliases (which reads the same cached list), come back
    const renders: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      await page.evaluate("__bench.open('#/aliases', '#aliases-title')");
      await settle(page);
      renders.push(await page.evaluate<number>("__bench.open('#/keys', 'tbody tr[data-key-id]')"));
      await settle(page);
    }
    reportSpread('keys.first_render', renders, 300);

    // filters: each select, and the search box, set and cleared
    const filters: number[] = [];
    const steps: [string, string][] = [
      ['select[id$="-usage"]', 'GENERATE_VERIFY_MAC'],
      ['select[id$="-usage"]', ''],
      ['select[id$="-spec"]', 'ECC_NIST_P256'],
      ['select[id$="-spec"]', ''],
      ['select[id$="-state"]', 'Enabled'],
      ['select[id$="-state"]', ''],
      ['.key-filters input[type=text]', 'bench key 99'],
      ['.key-filters input[type=text]', ''],
    ];
    for (let r = 0; r < Math.ceil(REPEATS / 2); r++) {
      for (const [selector, value] of steps) {
        const out = await page.evaluate<{ ms: number; status: string }>(`__bench.filter(${JSON.stringify(selector)}, ${JSON.stringify(value)})`);
        if (value === 'GENERATE_VERIFY_MAC' && !out.status.startsWith(`${(KEYS / 10).toLocaleString('en-US')} of`)) throw new Error(`the usage filter showed "${out.status}"`);
        filters.push(out.ms);
      }
    }
    reportSpread('keys.filter', filters, 50);

    // scrolling top to bottom, 600 px (about 16 rows) a frame, three times: the long tasks of each pass, the median as the value
    const passes: { long: number[]; frames: number[]; maxRows: number; lastId: string }[] = [];
    if (process.env.TRACE) await browser.startTracing(page, { path: process.env.TRACE, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8'] });
    for (let r = 0; r < SCROLL_PASSES; r++) passes.push(await page.evaluate<(typeof passes)[number]>('__bench.scroll(600)'));
    if (process.env.TRACE) await browser.stopTracing();
    const counts = passes.map((p) => p.long.length);
    const longest = Math.max(0, ...passes.flatMap((p) => p.long));
    const frames = passes.flatMap((p) => p.frames).toSorted((a, b) => a - b);
    report({ metric: 'keys.scroll_longtasks', value: counts.toSorted((a, b) => a - b)[Math.floor(counts.length / 2)]!, unit: 'tasks > 50 ms', reference: `target 0; per pass ${counts.join(', ')}; longest ${longest.toFixed(0)} ms`, ratio: null });
    report({ metric: 'keys.scroll_frame_p95', value: frames[Math.floor(frames.length * 0.95)] ?? 0, unit: 'ms', reference: `max ${(frames.at(-1) ?? 0).toFixed(1)} ms; at most ${Math.max(...passes.map((p) => p.maxRows))} rows in the DOM`, ratio: null });
    if (!JSON_OUTPUT) for (const [i, p] of passes.entries()) process.stdout.write(`  scroll pass ${i + 1}: ${p.frames.length} frames; long tasks ${p.long.map((d) => d.toFixed(0)).join(', ') || 'none'} (ms)\n`);
    if (problems.length) throw new Error(`the page reported problems: ${problems.join('; ')}`);
  } finally {
    await browser.close();
    await bridge.close();
    await t.close();
  }

  const gzip = readdirSync(RENDERER_ASSETS)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(RENDERER_ASSETS, f))).length, 0);
  report({ metric: 'renderer.js_gzip', value: gzip / 1024, unit: 'KiB', reference: 'target 1024 KiB', ratio: gzip / 1024 / 1024 });
}

/** Waits until the page has no bridge call in flight for a moment (a screen refetches what it shows when it opens). */
async function settle(page: Page): Promise<void> {
  await page.evaluate('__bench.idle()');
}

function reportSpread(metric: string, values: number[], target: number): void {
  const sorted = values.toSorted((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  report({ metric, value: median, unit: 'ms', reference: `target ${target} ms; ${sorted[0]!.toFixed(1)}–${sorted.at(-1)!.toFixed(1)} ms over ${values.length}`, ratio: median / target });
  if (!JSON_OUTPUT && median > target) process.stdout.write(`  ${metric}: the median misses its target of ${target} ms\n`);
}
