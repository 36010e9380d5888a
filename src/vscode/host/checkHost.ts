// Everything the check side of the extension needs from the core, bundled separately (dist/checkHost.js) and loaded
// on first use: fence finding, the check-block test, the worker runner and the SVG writer.
export { findFences } from '../../core/scan/fences';
export { isCheckFence } from '../../core/check/index';
export { startChecks } from '../../node/checkRunner';
export { renderPlotSvg } from '../../core/plot/svg';
