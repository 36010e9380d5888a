#!/usr/bin/env node
'use strict';
// Entry of the GitHub Action (action.yml): the same bundle as the CLI, its actionMain() reads INPUT_* variables.
require('../dist/cli.js').actionMain();
