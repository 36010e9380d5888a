// Plot series of checks are thinned once, keeping each bucket's smallest and largest value: a one-step spike of a
// `plot:` expression and of the trajectory norm survives a run much longer than the number of points drawn.
import * as assert from 'node:assert';
import { runChecksInText, type CheckResult } from '../../src/core/check';
import { MAX_POINTS_PER_SERIES, decimate } from '../../src/core/plot/decimate';

function runOne(body: string): CheckResult {
  const results = runChecksInText(['```check', body.trim(), '```', ''].join('\n'));
  assert.strictEqual(results.length, 1);
  return results[0];
}

describe('check plots: one decimation that keeps peaks', () => {
  const spikes = String.raw`
given: w_0 = 0
iterate: w_{t+1} = w_t + 1
steps: 100000
claim: w_{10} = 10
plot: \mathbb{1}\{w_t = 54321\} - \mathbb{1}\{w_t = 76543\}`;

  it('a single-step peak and dip of a `plot:` expression over 100,001 steps are in the series', () => {
    const r = runOne(spikes);
    assert.strictEqual(r.status, 'pass', r.message);
    const p = r.plots.find((x) => x.xLabel === 't' && x.title.includes('54321'));
    assert.ok(p, `a plot of the expression over t (plots: ${r.plots.map((x) => x.title).join(' | ')})`);
    const s = p.series[0];
    assert.ok(s.x.length <= MAX_POINTS_PER_SERIES, `${s.x.length} points`);
    assert.strictEqual(s.x[0], 0);
    assert.strictEqual(s.x[s.x.length - 1], 100000);
    assert.strictEqual(s.y[s.x.indexOf(54321)], 1, 'the peak at t = 54321 is kept');
    assert.strictEqual(s.y[s.x.indexOf(76543)], -1, 'the dip at t = 76543 is kept');
    // the writer's own thinning (SVG) leaves a series of at most the limit unchanged: applied once
    assert.deepStrictEqual(decimate(s.x, s.y, MAX_POINTS_PER_SERIES), { x: s.x, y: s.y });
  });

  it('the trajectory norm keeps its largest value (the last step) and its smallest (the start)', () => {
    const r = runOne(spikes);
    const traj = r.plots.find((x) => x.xLabel === 't' && !x.title.includes('54321'));
    assert.ok(traj, 'a trajectory plot over t');
    const s = traj.series[0];
    assert.ok(s.x.length <= MAX_POINTS_PER_SERIES);
    assert.strictEqual(Math.max(...s.y), 100000);
    assert.strictEqual(Math.min(...s.y), 0);
  });
});
