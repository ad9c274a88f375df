import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The committed fonts (SIL Open Font License 1.1, `assets/fonts/OFL.txt`). */
export const FONT_FILES = {
  latin: 'NotoSans-Regular.ttf',
  latinBold: 'NotoSans-Bold.ttf',
  bengali: 'NotoSansBengali-Regular.ttf',
  bengaliBold: 'NotoSansBengali-Bold.ttf',
} as const;

export type FontName = keyof typeof FONT_FILES;

let fontsDir: string | undefined;

/** The folder `assets/fonts`, found upwards from this file (the same from `libs/…/src` and from `dist/…`). */
export function fontsFolder(): string {
  if (fontsDir) return fontsDir;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'assets', 'fonts');
    if (existsSync(join(candidate, FONT_FILES.bengali))) return (fontsDir = candidate);
    if (dirname(dir) === dir) throw new Error('assets/fonts (the committed Noto fonts) was not found above ' + __dirname);
  }
}

export function fontPath(font: FontName): string {
  return join(fontsFolder(), FONT_FILES[font]);
}
