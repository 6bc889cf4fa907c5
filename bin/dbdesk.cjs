#!/usr/bin/env node
'use strict';
// The `dbdesk` command: runs the built CLI bundle (npm install builds it through `prepare`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const cli = join(__dirname, '..', 'dist', 'cli.cjs');
if (!existsSync(cli)) {
  console.error('dbdesk: the CLI is not built yet. Run `npm run build` in ' + join(__dirname, '..'));
  process.exit(1);
}
require(cli);
