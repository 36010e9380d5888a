#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is bundled by esbuild into dist/cli.js, loaded through V8's code cache (dist/launch.js,
// src/node/codeCache.ts); its main() runs it with the real stdio.
require('../dist/launch.js').launch('cli.js').main();
