#!/usr/bin/env node
'use strict';
// Entry of the GitHub Action (action.yml): the same bundle as the CLI (loaded like bin/math-writeup.js), its
// actionMain() reads INPUT_* variables.
require('../dist/launch.js').launch('cli.js').actionMain();
