// Everything the lint side of the extension needs from the core, bundled separately (dist/lintHost.js) and loaded
// on first use, so that activation does not pay for compiling KaTeX, markdown-it and the rules.
export { lintText } from '../../core/lint/engine';
export { LintWorkerClient, SupersededError } from '../../node/lintClient';
export { mergeConfigs, validateConfig } from '../../core/lint/config';
export { defaultRegistry } from '../../core/lint/registry';
export { findConfigFile, loadConfigFile } from '../../node/configFile';
