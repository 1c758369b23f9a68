#!/usr/bin/env node
// `gamepocgen playtest` as a program of its own: what the build and repair phases run
// (lib/agents/claude/playtest-shim.ts). It loads only the judge, the browser driver and
// the static game serving — no database, service config or secrets — so it can ship in
// the worker image beside the worker (test/layers/playtest-closure.test.ts).
import { playtestMain } from './playtest-command.ts';

process.exit(await playtestMain(process.argv.slice(2)));
