/**
 * `npm run bench [-- <area> ...]`: benchmarks that print tables of figures next to a
 * baseline measured in the same run (the raw driver, the reference implementation).
 * They are measurements, not tests: targets are printed as ratios with a verdict.
 *
 * Each area is a module in ./areas exporting `run(args)`; add one by adding it to AREAS.
 */
import { AREAS } from './areas';

async function main(): Promise<void> {
  const [, , ...argv] = process.argv;
  // Area names, and flags with their values (`--voters 20000` or `--voters=20000`).
  const names: string[] = [];
  const flags: string[] = [];
  // `--quick` is the one flag without a value: a word after any other flag is that flag's value,
  // even when it names an area too (`--store postgres`).
  for (const [i, arg] of argv.entries()) {
    const previous = argv[i - 1];
    const isValue = previous?.startsWith('--') && !previous.includes('=') && previous !== '--quick';
    if (arg.startsWith('--') || isValue) flags.push(arg);
    else names.push(arg);
  }
  const unknown = names.filter((n) => !(n in AREAS));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown bench area(s): ${unknown.join(', ')}. Known: ${Object.keys(AREAS).join(', ')}\n`);
    process.exit(2);
  }
  const selected = names.length > 0 ? names : Object.keys(AREAS);
  for (const name of selected) {
    process.stdout.write(`\n== bench: ${name} ==\n`);
    await AREAS[name](flags);
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
