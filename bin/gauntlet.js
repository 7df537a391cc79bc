#!/usr/bin/env node
// The `gauntlet` command. A published package runs the compiled lib/ (Node does not strip types inside
// node_modules); a checkout runs the TypeScript sources directly.
import { existsSync } from 'node:fs';

const compiled = new URL('../lib/cli/main.js', import.meta.url);
await import(existsSync(compiled) ? compiled.href : new URL('../src/cli/main.ts', import.meta.url).href);
