// The preview's heavy half (renderer, KaTeX, MathJax for hovers, the scanner and linter it annotates with), bundled
// separately (dist/previewHost.js) and loaded on first use, so activation does not compile it.
export { PreviewPanel, PRODUCTION_DEPS } from '../preview/panel';
export { GithubValidator } from '../../core/tex/mathjax';
export { scanDocument } from '../../core/scan/scanner';
export { buildExportHtml } from '../../node/exportHtml';
export { safeWriteFile } from '../../node/safeWrite';
export { TypesetStore } from '../../core/render/mathjaxFormulas';
export { TypesetWorkerClient } from '../../node/typesetClient';
