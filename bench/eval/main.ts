// `npm run eval [--agent builtin|claude] [--provider spec]... [--suite file] [--out report.json]`
// runs a suite of ideas through the whole pipeline and prints the table (bench/eval/table.ts)
// and writes the JSON report (bench/eval/report.ts); `npm run eval -- --compare a.json b.json`
// prints the per-idea and total deltas of two reports. docs/llm.md explains both.
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT_DIR } from '../../lib/config.ts';
import { EvalReport } from './report.ts';
import { EvalOptionError, runEval } from './run.ts';
import { loadSuite, SuiteError } from './suite.ts';
import { formatComparison, formatReport } from './table.ts';

export const DEFAULT_SUITE = path.join(ROOT_DIR, 'eval', 'suite.json');
const USAGE =
  'usage: npm run eval -- [--agent builtin|claude] [--provider <provider>:<model>]... [--suite file] [--out report.json]\n' +
  '       (--provider twice or more: every idea runs on each provider, compared in one report)\n' +
  '       npm run eval -- --compare a.json b.json';

export async function readReport(file: string): Promise<EvalReport> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new EvalOptionError(`report ${file} could not be read as JSON: ${(e as Error).message}`);
  }
  const parsed = EvalReport.safeParse(raw);
  if (!parsed.success)
    throw new EvalOptionError(
      `report ${file} is not an eval report: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
  return parsed.data;
}

/** The command; returns the exit code (0 done, 2 bad usage or input). */
export async function evalCommand(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  let args: ReturnType<typeof parse>;
  const parse = (a: string[]) =>
    parseArgs({
      args: a,
      allowPositionals: true,
      options: {
        agent: { type: 'string', default: 'builtin' },
        provider: { type: 'string', multiple: true },
        suite: { type: 'string', default: DEFAULT_SUITE },
        out: { type: 'string' },
        compare: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  try {
    args = parse(argv);
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const v = args.values;
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    if (v.compare) {
      if (args.positionals.length !== 2) throw new EvalOptionError(`--compare takes two report files\n${USAGE}`);
      const [a, b] = args.positionals as [string, string];
      console.log(formatComparison(await readReport(a), await readReport(b), [a, b]));
      return 0;
    }
    if (args.positionals.length) throw new EvalOptionError(`unexpected argument ${args.positionals[0]}\n${USAGE}`);
    if (v.agent !== 'builtin' && v.agent !== 'claude')
      throw new EvalOptionError(`--agent must be builtin or claude, not ${v.agent}`);
    const suite = await loadSuite(v.suite);
    const out =
      v.out ?? path.join(ROOT_DIR, 'eval', 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    console.log(
      `eval: ${suite.ideas.length} idea(s) from ${path.relative(process.cwd(), v.suite) || v.suite}, agent ${v.agent}${v.provider?.length ? `, provider ${v.provider.join(' vs ')}` : ''}`,
    );
    await mkdir(path.dirname(out), { recursive: true });
    const logFile = out.replace(/\.json$/, '') + '.worker.log';
    const workerLog = createWriteStream(logFile);
    const report = await runEval({
      suite,
      agent: v.agent,
      providers: v.provider ?? [],
      env,
      log: (line) => console.log(`  ${line}`),
      workerLog: (line) => workerLog.write(`${new Date().toISOString()} ${line}\n`),
    }).finally(() => new Promise((r) => workerLog.end(r)));
    await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\n${formatReport(report)}\n\nreport: ${out}\nworker log: ${logFile}`);
    return 0;
  } catch (e) {
    if (
      e instanceof EvalOptionError ||
      e instanceof SuiteError ||
      (e as { code?: string }).code === 'llm_not_configured'
    ) {
      console.error(`eval: ${(e as Error).message}`);
      return 2;
    }
    throw e;
  }
}

if (import.meta.main) process.exitCode = await evalCommand(process.argv.slice(2), process.env);
