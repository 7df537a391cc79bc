#!/usr/bin/env node
// Entry point of the `gauntlet` command.
import { runCli } from './program.ts';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
