/** A stretch of text set in one font: Bengali script, or everything else (Latin letters, digits, "£", the web address). */
export interface ScriptRun {
  readonly script: 'bengali' | 'latin';
  readonly text: string;
}

// The Bengali block, with the joiners (ZWNJ, ZWJ) and the dandas that Bengali text uses.
const BENGALI = /[\u0980-\u09FF\u200C\u200D\u0964\u0965]/u;
// Characters either font draws alike: they join the run they stand in, so a space never switches fonts.
const NEUTRAL = /[\s.,;:!?()'"\-–—/]/u;

/**
 * Splits a line into runs by script, so that names, addresses, the web address, "£" and Latin
 * digits inside Bengali text are set in the Latin font and Bengali in the Bengali one (whose
 * shaping, by fontkit, forms conjuncts and places vowel signs).
 */
export function scriptRuns(text: string): ScriptRun[] {
  const runs: { script: ScriptRun['script']; text: string }[] = [];
  let pending = '';
  for (const char of text) {
    if (NEUTRAL.test(char)) {
      if (runs.length > 0) runs[runs.length - 1].text += char;
      else pending += char;
      continue;
    }
    const script = BENGALI.test(char) ? 'bengali' : 'latin';
    const last = runs[runs.length - 1];
    if (last?.script === script) last.text += char;
    else runs.push({ script, text: pending + char });
    pending = '';
  }
  if (pending) runs.push({ script: 'latin', text: pending });
  return runs;
}
