// Renders media/icon.svg to the 128×128 media/icon.png with headless Chromium: node media/render-icon.mjs
import { chromium } from 'playwright-core';
import fs from 'node:fs';
const svg = fs.readFileSync(new URL('./icon.svg', import.meta.url), 'utf8');
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
await p.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await p.screenshot({ path: new URL('./icon.png', import.meta.url).pathname, omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
await b.close();
