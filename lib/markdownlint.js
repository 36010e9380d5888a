'use strict';
// `require('math-writeup/markdownlint')`: math-writeup's rules as a markdownlint custom rule (src/markdownlint/rule.ts),
// taken from the CLI bundle so the package carries the engine once.
module.exports = require('../dist/cli.js').markdownlintRule();
