#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is bundled by esbuild into dist/cli.js, whose main() runs it with the real stdio.
require('../dist/cli.js').main();
