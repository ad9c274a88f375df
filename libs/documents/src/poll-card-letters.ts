import { formatDateTime, type DocumentLanguage } from './formats';
import { PdfWriter } from './pdf-writer';

/** One resident's letter: who it goes to, their reference and printed voting code, and the fund's dates. */
export interface PollCardLetter {
  readonly reference: string;
  readonly name: string;
  readonly address: string;
  /** `XXXX-XXXX-XXXX-XXXX`. */
  readonly code: string;
  /** The resident's language, when the register holds one; both languages otherwise. */
  readonly language?: DocumentLanguage;
}

export interface PollCardLetterFund {
  readonly name: string;
  readonly votingOpensAt: Date;
  readonly votingClosesAt: Date;
  /** IANA time zone of the fund: every date is printed in it. */
  readonly timeZone: string;
  /** The residents' web address. */
  readonly webAddress: string;
}

interface LetterText {
  heading(fund: string): string;
  dates(opens: string, closes: string): string;
  howTo: readonly string[];
  reference: string;
  code: string;
  keep: string;
}

const TEXT: Record<DocumentLanguage, LetterText> = {
  en: {
    heading: (fund) => `Your voting code for ${fund}`,
    dates: (opens, closes) => `Voting opens on ${opens} and closes on ${closes}.`,
    howTo: [
      'How to vote online:',
      '1. Go to WEB on a computer, tablet or phone (or at your library, where staff can help).',
      '2. Choose “Sign in with the code from your letter”.',
      '3. Type your reference and your voting code exactly as they are printed below.',
    ],
    reference: 'Your reference',
    code: 'Your voting code',
    keep: 'Keep this letter private: the code works only for you and only for this fund. If you lose it, ask the council for a new one; the old code then stops working.',
  },
  bn: {
    heading: (fund) => `${fund}-এর জন্য আপনার ভোট দেওয়ার কোড`,
    dates: (opens, closes) => `ভোটগ্রহণ শুরু হবে ${opens} এবং শেষ হবে ${closes}।`,
    howTo: [
      'অনলাইনে কীভাবে ভোট দেবেন:',
      '১. কম্পিউটার, ট্যাবলেট বা ফোনে WEB ঠিকানায় যান (অথবা আপনার লাইব্রেরিতে, যেখানে কর্মীরা সাহায্য করতে পারেন)।',
      '২. “আপনার চিঠির কোড দিয়ে সাইন ইন করুন” বেছে নিন।',
      '৩. নিচে ছাপা আপনার রেফারেন্স এবং ভোট দেওয়ার কোড হুবহু লিখুন।',
    ],
    reference: 'আপনার রেফারেন্স',
    code: 'আপনার ভোট দেওয়ার কোড',
    keep: 'এই চিঠিটি গোপন রাখুন: কোডটি শুধু আপনার জন্য এবং শুধু এই তহবিলের জন্য কাজ করে। হারিয়ে গেলে কাউন্সিলের কাছে নতুন কোড চান; তখন পুরনো কোডটি আর কাজ করবে না।',
  },
};

/** Printable letters, one page per resident: name and address, the fund and its voting dates, how to sign in, reference and code. */
export async function renderPollCardLetters(fund: PollCardLetterFund, letters: readonly PollCardLetter[]): Promise<Buffer> {
  const pdf = new PdfWriter(`Voting codes: ${fund.name}`);
  for (const letter of letters) {
    pdf.page();
    pdf.line(letter.name, { size: 12, gap: 0 });
    for (const part of letter.address.split(/\s*[,\n]\s*/).filter(Boolean)) pdf.line(part, { size: 12, gap: 0 });
    pdf.doc.y += 28;
    const languages: DocumentLanguage[] = letter.language ? [letter.language] : ['en', 'bn'];
    for (const language of languages) {
      const text = TEXT[language];
      pdf.line(text.heading(fund.name), { size: 15, bold: true, gap: 6 });
      pdf.line(
        text.dates(
          formatDateTime(fund.votingOpensAt, language, fund.timeZone),
          formatDateTime(fund.votingClosesAt, language, fund.timeZone),
        ),
        { size: languages.length > 1 ? 10.5 : 12 },
      );
      for (const step of text.howTo) pdf.line(step.replace('WEB', fund.webAddress), { size: languages.length > 1 ? 10.5 : 12, gap: 1 });
      pdf.doc.y += 6;
      pdf.line(`${text.reference}: ${letter.reference}`, { size: 12, bold: true, gap: 2 });
      pdf.line(`${text.code}: ${letter.code}`, { size: 16, bold: true, gap: 6 });
      pdf.line(text.keep, { size: 9.5, gap: 10 });
      if (language !== languages[languages.length - 1]) pdf.rule();
    }
  }
  if (letters.length === 0) pdf.page().line('No resident is eligible for a voting code. / ভোট দেওয়ার কোডের জন্য কোনো বাসিন্দা যোগ্য নন।');
  return pdf.finish();
}
