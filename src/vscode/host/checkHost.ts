// Everything the check side of the extension needs from the core, bundled separately (dist/checkHost.js) and loaded
// on first use: the check-block finder (the one check-fence detector), the worker runner and the SVG writer.
export { findCheckFences } from '../../core/scan/fences';
export { startChecks } from '../../node/checkRunner';
export { renderPlotSvg } from '../../core/plot/svg';
