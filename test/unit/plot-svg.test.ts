import * as assert from 'node:assert';
import type { PlotSpec } from '../../src/core/check/types';
import { decimate, MAX_POINTS_PER_SERIES } from '../../src/core/plot/decimate';
import { escapeXml, formatLinearTicks, logTicks, niceTicks, renderPlotSvg } from '../../src/core/plot/svg';

// ------------------------------------------------------------------------------------------------
// A small XML well-formedness checker (character scanner, no regular expressions): elements nest and
// close, attributes are quoted and unique, `<` and `&` only appear as markup or entity references.

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME_START = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === ':';
const NAME_CHAR = (c: string): boolean => NAME_START(c) || (c >= '0' && c <= '9') || c === '-' || c === '.';
const SPACE = (c: string): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r';

function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`XML error at ${i}: ${msg} near «${src.slice(Math.max(0, i - 30), i + 30)}»`);
  };
  const name = (): string => {
    if (!NAME_START(src[i] ?? '')) fail('expected a name');
    const s = i;
    while (i < src.length && NAME_CHAR(src[i])) i++;
    return src.slice(s, i);
  };
  const skipSpace = (): void => {
    while (i < src.length && SPACE(src[i])) i++;
  };
  const decodeText = (raw: string): string => {
    let out = '';
    for (let k = 0; k < raw.length; k++) {
      const c = raw[k];
      if (c === '<') fail('raw < in text');
      if (c !== '&') {
        out += c;
        continue;
      }
      const semi = raw.indexOf(';', k);
      if (semi < 0) fail('unterminated entity');
      const ent = raw.slice(k + 1, semi);
      if (ent === 'amp') out += '&';
      else if (ent === 'lt') out += '<';
      else if (ent === 'gt') out += '>';
      else if (ent === 'quot') out += '"';
      else if (ent === 'apos') out += "'";
      else if (ent.startsWith('#x')) out += String.fromCodePoint(parseInt(ent.slice(2), 16));
      else if (ent.startsWith('#')) out += String.fromCodePoint(parseInt(ent.slice(1), 10));
      else fail(`unknown entity &${ent};`);
      k = semi;
    }
    return out;
  };
  const element = (): XmlElement => {
    if (src[i] !== '<') fail('expected <');
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const hadSpace = SPACE(src[i] ?? '');
      skipSpace();
      if (src.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (!hadSpace) fail('attributes need white space before them');
      const a = name();
      if (a in el.attrs) fail(`duplicate attribute ${a}`);
      skipSpace();
      if (src[i] !== '=') fail('expected =');
      i++;
      skipSpace();
      const q = src[i];
      if (q !== '"' && q !== "'") fail('unquoted attribute');
      const end = src.indexOf(q, i + 1);
      if (end < 0) fail('unterminated attribute');
      el.attrs[a] = decodeText(src.slice(i + 1, end));
      i = end + 1;
    }
    for (;;) {
      if (i >= src.length) fail(`unclosed <${el.name}>`);
      if (src.startsWith('</', i)) {
        i += 2;
        const n = name();
        if (n !== el.name) fail(`</${n}> closes <${el.name}>`);
        skipSpace();
        if (src[i] !== '>') fail('expected >');
        i++;
        return el;
      }
      if (src[i] === '<') {
        el.children.push(element());
        continue;
      }
      const next = src.indexOf('<', i);
      const raw = src.slice(i, next < 0 ? src.length : next);
      el.text += decodeText(raw);
      i += raw.length;
    }
  };
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== src.length) fail('content after the root element');
  return root;
}

function all(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (e.name === name) out.push(e);
    e.children.forEach(walk);
  };
  walk(el);
  return out;
}

/** Number of drawn vertices in a path's `d` (M and L commands). */
function vertices(d: string): number {
  let n = 0;
  for (const c of d) if (c === 'M' || c === 'L') n++;
  return n;
}

function seriesPaths(root: XmlElement): XmlElement[] {
  // Series paths carry a class mw-sN and live inside the clipped group.
  const g = all(root, 'g').find((e) => e.attrs['clip-path']);
  assert.ok(g, 'clipped group of series');
  return g.children.filter((c) => c.name === 'path' && (c.attrs.class ?? '').startsWith('mw-s'));
}

const basePlot = (over: Partial<PlotSpec> = {}): PlotSpec => ({
  title: 'GD stability',
  xLabel: 't',
  yLabel: '|w_t − y/σ|',
  logX: false,
  logY: false,
  series: [{ name: 'η = 0.1', x: [0, 1, 2, 3], y: [1, 0.5, 0.25, 0.125] }],
  ...over,
});

describe('plot SVG writer', () => {
  describe('XML checker (self-test)', () => {
    it('rejects malformed documents', () => {
      assert.throws(() => parseXml('<a><b></a></b>'));
      assert.throws(() => parseXml('<a>x < y</a>'));
      assert.throws(() => parseXml('<a b=1/>'));
      assert.throws(() => parseXml('<a>&nbsp;</a>'));
      assert.throws(() => parseXml('<a b="1" b="2"/>'));
      assert.strictEqual(parseXml('<a t="&lt;x&gt;">1 &amp; 2</a>').text, '1 & 2');
    });
  });

  describe('niceTicks', () => {
    it('covers [0, 1] with steps of 0.2', () => {
      assert.deepStrictEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    });
    it('covers [0.01, 0.5] with exact decimal values', () => {
      assert.deepStrictEqual(niceTicks(0.01, 0.5, 5), [0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    });
    it('extends outwards to nice bounds', () => {
      assert.deepStrictEqual(niceTicks(-3.2, 7.9, 5), [-5, -2.5, 0, 2.5, 5, 7.5, 10]);
      assert.deepStrictEqual(niceTicks(-3.2, 7.9, 6), [-4, -2, 0, 2, 4, 6, 8]);
      assert.deepStrictEqual(niceTicks(0, 1000, 4), [0, 250, 500, 750, 1000]);
    });
    it('handles a degenerate range and bad input', () => {
      const t = niceTicks(5, 5, 4);
      assert.ok(t[0] < 5 && t[t.length - 1] > 5);
      assert.deepStrictEqual(niceTicks(NaN, 1, 5), []);
      assert.deepStrictEqual(niceTicks(0, Infinity, 5), []);
    });
    it('handles tiny ranges without collapsing', () => {
      const t = niceTicks(0, 1e-12, 5);
      assert.strictEqual(t.length, 6);
      assert.ok(Math.abs(t[5] - 1e-12) < 1e-24);
    });
  });

  describe('tick labels', () => {
    it('prints decimals with the precision of the step', () => {
      assert.deepStrictEqual(formatLinearTicks([0, 0.1, 0.2, 0.3]), ['0', '0.1', '0.2', '0.3']);
      assert.deepStrictEqual(formatLinearTicks([0, 0.25, 0.5]), ['0', '0.25', '0.50']);
      assert.deepStrictEqual(formatLinearTicks([-2, 0, 2]), ['−2', '0', '2']);
    });
    it('uses powers of ten for very small values instead of 0.000', () => {
      const labels = formatLinearTicks([0, 2e-13, 4e-13]);
      assert.deepStrictEqual(labels, ['0', '2×10⁻¹³', '4×10⁻¹³']);
      assert.deepStrictEqual(formatLinearTicks([1e-5, 1.5e-5, 2e-5]), ['1×10⁻⁵', '1.5×10⁻⁵', '2×10⁻⁵']);
      assert.deepStrictEqual(formatLinearTicks([0, 2e6, 4e6]), ['0', '2×10⁶', '4×10⁶']);
    });
    it('labels a log axis over [1e-12, 1] with readable powers of ten', () => {
      const ticks = logTicks(-12, 0).filter((t) => !t.minor);
      const labels = ticks.map((t) => t.label);
      assert.ok(labels.length >= 4 && labels.length <= 9, labels.join(' '));
      assert.strictEqual(labels[0], '10⁻¹²');
      assert.strictEqual(labels[labels.length - 1], '1');
      assert.ok(labels.every((l) => l !== '0' && !l.startsWith('0.')), labels.join(' '));
      assert.ok(labels.every((l) => l === '1' || l.startsWith('10⁻')), labels.join(' '));
    });
    it('labels every decade of a short log axis, with 2× and 5× ticks under two decades', () => {
      assert.deepStrictEqual(
        logTicks(-6, -3).filter((t) => !t.minor).map((t) => t.label),
        ['10⁻⁶', '10⁻⁵', '10⁻⁴', '10⁻³'],
      );
      assert.deepStrictEqual(
        logTicks(0, 2).filter((t) => !t.minor).map((t) => t.label),
        ['1', '2', '5', '10', '20', '50', '100'],
      );
    });
    it('never underflows far-out decades', () => {
      const labels = logTicks(-330, 0).filter((t) => !t.minor).map((t) => t.label);
      assert.deepStrictEqual(labels, ['10⁻³⁰⁰', '10⁻²⁵⁰', '10⁻²⁰⁰', '10⁻¹⁵⁰', '10⁻¹⁰⁰', '10⁻⁵⁰', '1']);
      assert.deepStrictEqual(logTicks(-330, -325).filter((t) => !t.minor).map((t) => t.label)[0], '10⁻³³⁰');
    });
    it('labels both ends of a wide log axis with round decades', () => {
      const x = [0, 1, 2];
      const root = parseXml(renderPlotSvg(basePlot({ logY: true, series: [{ name: 'e', x, y: [3e-45, 1, 2e9] }] })));
      const labels = all(root, 'text').filter((t) => t.attrs['text-anchor'] === 'end').map((t) => t.text);
      assert.strictEqual(labels[0], '10⁻⁵⁰', labels.join(' | '));
      assert.strictEqual(labels[labels.length - 1], '10¹⁰', labels.join(' | '));
    });
  });

  describe('decimate', () => {
    it('reduces 100k points to at most 2,000 and keeps the extremes, first and last', () => {
      const n = 100_000;
      const x = Array.from({ length: n }, (_, i) => i);
      const y = x.map((i) => Math.sin(i / 500) * Math.exp(-i / 40_000) + (i === 31_337 ? 5 : 0) - (i === 77_777 ? 7 : 0));
      const d = decimate(x, y, 2000);
      assert.ok(d.x.length <= 2000, `${d.x.length} points`);
      assert.ok(d.x.length >= 1000, `${d.x.length} points`);
      assert.strictEqual(d.x.length, d.y.length);
      assert.strictEqual(Math.max(...d.y), Math.max(...y));
      assert.strictEqual(Math.min(...d.y), Math.min(...y));
      assert.ok(d.x.includes(31_337) && d.x.includes(77_777));
      assert.strictEqual(d.x[0], 0);
      assert.strictEqual(d.x[d.x.length - 1], n - 1);
      for (let i = 1; i < d.x.length; i++) assert.ok(d.x[i] > d.x[i - 1], 'order kept');
      // each kept point is a real point of the series
      for (let i = 0; i < d.x.length; i += 97) assert.strictEqual(d.y[i], y[d.x[i]]);
    });
    it('keeps gaps from non-finite values', () => {
      const n = 50_000;
      const x = Array.from({ length: n }, (_, i) => i);
      const y = x.map((i) => (i >= 20_000 && i < 20_010 ? NaN : i > 45_000 ? Infinity : i));
      const d = decimate(x, y, 500);
      assert.ok(d.x.length <= 500);
      assert.ok(d.y.some((v) => Number.isNaN(v)), 'NaN gap kept');
      assert.ok(d.y.some((v) => v === Infinity), 'Infinity kept');
    });
    it('returns short series unchanged (as copies)', () => {
      const x = [1, 2, 3];
      const d = decimate(x, [4, 5, 6], 2000);
      assert.deepStrictEqual(d, { x: [1, 2, 3], y: [4, 5, 6] });
      assert.notStrictEqual(d.x, x);
    });
  });

  describe('renderPlotSvg', () => {
    it('produces a well-formed SVG with title, axis labels and a legend', () => {
      const svg = renderPlotSvg(
        basePlot({
          series: [
            { name: 'η = 0.1', x: [0, 1, 2, 3], y: [1, 0.8, 0.64, 0.512] },
            { name: 'η = 0.3', x: [0, 1, 2, 3], y: [1, 0.4, 0.16, 0.064] },
          ],
        }),
      );
      const root = parseXml(svg);
      assert.strictEqual(root.name, 'svg');
      assert.strictEqual(root.attrs.xmlns, 'http://www.w3.org/2000/svg');
      const texts = all(root, 'text').map((t) => t.text);
      assert.ok(texts.includes('GD stability'));
      assert.ok(texts.includes('t'));
      assert.ok(texts.includes('|w_t − y/σ|'));
      assert.ok(texts.includes('η = 0.1') && texts.includes('η = 0.3'), 'legend entries');
      assert.strictEqual(seriesPaths(root).length, 2);
      assert.ok(!svg.includes('NaN') && !svg.includes('Infinity') && !svg.includes('undefined'));
    });

    it('escapes markup in titles, labels and series names', () => {
      const svg = renderPlotSvg(
        basePlot({
          title: '<script>alert("x")</script> & co',
          xLabel: 'a<b',
          series: [{ name: '"quoted" & <b>', x: [0, 1], y: [0, 1] }],
          markers: [{ x: 0.5, label: '</text><script>' }],
        }),
      );
      assert.ok(!svg.includes('<script'), 'no script element');
      const root = parseXml(svg);
      assert.strictEqual(all(root, 'script').length, 0);
      const texts = all(root, 'text').map((t) => t.text);
      assert.ok(texts.includes('<script>alert("x")</script> & co'));
      assert.ok(texts.includes('"quoted" & <b>'));
      assert.ok(texts.includes('</text><script>'));
      assert.strictEqual(all(root, 'title')[0].text, '<script>alert("x")</script> & co');
    });

    it('drops characters XML cannot hold', () => {
      assert.strictEqual(escapeXml('a\u0000b\u001bc'), 'a\uFFFDb\uFFFDc');
      parseXml(renderPlotSvg(basePlot({ title: 'bad \u0001 char \uD800 here' })));
    });

    it('never prints NaN or Infinity and breaks the line at non-finite values', () => {
      const svg = renderPlotSvg(
        basePlot({
          series: [
            { name: 'diverging', x: [0, 1, 2, 3, 4, 5, 6], y: [1, 2, NaN, 4, 5, Infinity, -Infinity] },
          ],
        }),
      );
      assert.ok(!svg.includes('NaN') && !svg.includes('Infinity'));
      const root = parseXml(svg);
      const [path] = seriesPaths(root);
      const d = path.attrs.d;
      // two runs: (0,1)-(1,2) and (3,4)-(4,5)
      assert.strictEqual(d.split('M').length - 1, 2, d);
      assert.strictEqual(vertices(d), 4);
    });

    it('renders a series with no finite values without crashing', () => {
      const svg = renderPlotSvg(basePlot({ logY: true, series: [{ name: 'all bad', x: [0, 1], y: [NaN, -1] }] }));
      const root = parseXml(svg);
      assert.ok(all(root, 'text').some((t) => t.text === 'no finite values to plot'));
      assert.ok(!svg.includes('NaN'));
    });

    it('draws a log axis over [1e-12, 1] with power-of-ten labels and skips non-positive values', () => {
      const x = Array.from({ length: 61 }, (_, t) => t);
      const y = x.map((t) => (t === 30 ? 0 : Math.pow(10, -t / 5)));
      const svg = renderPlotSvg(basePlot({ logY: true, series: [{ name: 'error', x, y }] }));
      const root = parseXml(svg);
      // y tick labels are the right-aligned ones
      const labels = all(root, 'text').filter((t) => t.attrs['text-anchor'] === 'end').map((t) => t.text);
      assert.ok(labels.includes('10⁻¹²'), labels.join(' | '));
      assert.ok(labels.includes('1'));
      assert.ok(labels.every((l) => l === '1' || l.startsWith('10⁻')), labels.join(' | '));
      const [path] = seriesPaths(root);
      assert.strictEqual(path.attrs.d.split('M').length - 1, 2, 'the zero value makes a gap');
      assert.strictEqual(vertices(path.attrs.d), 60);
    });

    it('decimates long series to at most 2,000 drawn points', () => {
      const n = 100_000;
      const x = Array.from({ length: n }, (_, i) => i);
      const y = x.map((i) => Math.cos(i / 100));
      const root = parseXml(renderPlotSvg(basePlot({ series: [{ name: 'long', x, y }] })));
      const [path] = seriesPaths(root);
      assert.ok(vertices(path.attrs.d) <= MAX_POINTS_PER_SERIES);
      assert.ok(vertices(path.attrs.d) > 1000);
    });

    it('draws markers with labels, inside the x range', () => {
      const root = parseXml(
        renderPlotSvg(
          basePlot({
            xLabel: 'η',
            series: [{ name: 'T_ε', x: [0.1, 0.2, 0.3], y: [30, 10, 20] }],
            markers: [
              { x: 0.25, label: 'claimed 1/σ² = 0.25' },
              { x: 0.9, label: 'far right' },
            ],
          }),
        ),
      );
      const markerPaths = all(root, 'path').filter((p) => p.attrs.class === 'mw-marker');
      assert.strictEqual(markerPaths.length, 2);
      const texts = all(root, 'text').map((t) => t.text);
      assert.ok(texts.includes('claimed 1/σ² = 0.25'));
      // the x axis was extended to show the 0.9 marker
      assert.ok(texts.includes('0.9') || texts.includes('1.0') || texts.includes('1'), texts.join(' | '));
    });

    it('embeds light and dark colours for theme auto, one palette otherwise', () => {
      const auto = renderPlotSvg(basePlot());
      const style = all(parseXml(auto), 'style')[0].text;
      assert.ok(style.includes('@media (prefers-color-scheme: dark)'));
      assert.ok(style.includes('#ffffff') && style.includes('#0d1117'));
      assert.ok(!auto.includes('currentColor'));
      const dark = renderPlotSvg(basePlot(), { theme: 'dark' });
      assert.ok(!dark.includes('prefers-color-scheme'));
      const bg = all(parseXml(dark), 'rect').find((r) => r.attrs.class === 'mw-bg');
      assert.strictEqual(bg?.attrs.fill, '#0d1117');
      const light = renderPlotSvg(basePlot(), { theme: 'light', width: 400, height: 300 });
      const root = parseXml(light);
      assert.strictEqual(root.attrs.width, '400');
      assert.strictEqual(root.attrs.viewBox, '0 0 400 300');
    });

    it('is deterministic', () => {
      assert.strictEqual(renderPlotSvg(basePlot()), renderPlotSvg(basePlot()));
    });

    it('stays well-formed and free of NaN for arbitrary data', () => {
      // a small deterministic generator instead of fast-check's shrinking (the property is cheap to state)
      let s = 12345;
      const rnd = (): number => {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        return s / 2 ** 32;
      };
      const specials = [NaN, Infinity, -Infinity, 0, -0, 1e-300, 1e300, -5e-324];
      for (let trial = 0; trial < 60; trial++) {
        const n = 1 + Math.floor(rnd() * 50);
        const pick = (): number => (rnd() < 0.15 ? specials[Math.floor(rnd() * specials.length)] : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 20 - 10));
        const x = Array.from({ length: n }, pick);
        const y = Array.from({ length: n }, pick);
        const svg = renderPlotSvg(basePlot({ logX: rnd() < 0.5, logY: rnd() < 0.5, series: [{ name: 's', x, y }] }));
        parseXml(svg);
        assert.ok(!svg.includes('NaN') && !svg.includes('Infinity') && !svg.includes('e+'), svg.slice(0, 400));
      }
    });
  });
});
