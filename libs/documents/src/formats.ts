export type DocumentLanguage = 'en' | 'bn';

const LOCALES: Record<DocumentLanguage, string> = { en: 'en-GB', bn: 'bn-BD' };

/** A date and time in the fund's time zone, in the language's words and digits. */
export function formatDateTime(at: Date, language: DocumentLanguage, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'full', timeStyle: 'short', timeZone }).format(at);
}

/** Pounds from pence (never bare pence), in the language's digits. */
export function formatPounds(pence: number, language: DocumentLanguage): string {
  return new Intl.NumberFormat(LOCALES[language], {
    style: 'currency',
    currency: 'GBP',
    minimumFractionDigits: pence % 100 === 0 ? 0 : 2,
  }).format(pence / 100);
}

export function formatNumber(value: number, language: DocumentLanguage): string {
  return new Intl.NumberFormat(LOCALES[language]).format(value);
}
