// Worker thread that typesets formulas with MathJax configured like github.com (src/core/tex/mathjax.ts) for the
// preview's GitHub mode, so the extension host's thread never runs MathJax. One request: a list of formulas; one
// answer: their SVG (MathJax's own error rendering for a TeX error) or GitHub's refusal.
import { parentPort } from 'node:worker_threads';
import { renderGithubSvg } from '../core/tex/mathjax';
import { refusal } from '../core/render/mathjaxFormulas';
import type { FromTypesetWorker, ToTypesetWorker } from './typesetProtocol';

parentPort?.on('message', (req: ToTypesetWorker) => {
  void (async () => {
    const results: FromTypesetWorker['results'] = [];
    for (const f of req.formulas) {
      try {
        const { svg, problems } = await renderGithubSvg(f.tex, f.display);
        results.push({ key: f.key, svg, refused: refusal(problems) });
      } catch (e) {
        results.push({ key: f.key, svg: '', error: e instanceof Error ? e.message : String(e) });
      }
    }
    parentPort?.postMessage({ id: req.id, results } satisfies FromTypesetWorker);
  })();
});
