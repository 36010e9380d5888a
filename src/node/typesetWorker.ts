// Worker thread that typesets formulas with MathJax configured like github.com (src/core/render/mathjaxTypeset.ts)
// for the preview's GitHub mode, so the extension host's thread never runs MathJax. One request: a list of formulas;
// one answer: their SVG (MathJax's own error rendering for a TeX error) or GitHub's refusal.
import { parentPort } from 'node:worker_threads';
import { typesetFormulas } from '../core/render/mathjaxTypeset';
import { GithubValidator } from '../core/tex/mathjax';

/** GitHub's MathJax for every formula this worker typesets. */
const validator = new GithubValidator();
import type { FromTypesetWorker, ToTypesetWorker } from './typesetProtocol';

parentPort?.on('message', (req: ToTypesetWorker) => {
  void typesetFormulas(validator, req.formulas).then((results) => parentPort?.postMessage({ id: req.id, results } satisfies FromTypesetWorker));
});
