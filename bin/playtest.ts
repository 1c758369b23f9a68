#!/usr/bin/env node
// `gamepocgen playtest` as a program of its own: what the build and repair phases run
// (lib/agents/claude/playtest-shim.ts). It loads only the judge, the browser driver and
// the static game serving — no database, service config or secrets — so it can ship in
// the worker image beside the worker (test/layers/playtest-closure.test.ts).
import { playtestCommand } from './playtest-command.ts';

const code = await playtestCommand(process.argv.slice(2), {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
}).catch((e: Error) => {
  process.stderr.write(`gamepocgen playtest: could not run: ${e.message}\n`);
  return 2;
});
process.exit(code);
