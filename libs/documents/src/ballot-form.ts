import { formatNumber, formatPounds, type DocumentLanguage } from './formats';
import { PdfWriter } from './pdf-writer';

export interface BallotFormProposal {
  readonly number: number;
  readonly title: string;
  /** The official cost in pence (shown on knapsack forms). */
  readonly costPence?: number;
}

export interface BallotFormPot {
  readonly fundName: string;
  readonly potName: string;
  readonly ward?: string;
  readonly kind: 'approval' | 'knapsack' | 'cumulative';
  readonly budgetPence: number;
  readonly minPicks?: number;
  readonly maxPicks?: number;
  readonly points?: number;
  readonly webAddress: string;
  /** By number, lowest first. */
  readonly proposals: readonly BallotFormProposal[];
}

interface FormText {
  heading(pot: string): string;
  rule(pot: BallotFormPot): string;
  mark: string;
  reference: string;
  columns: { number: string; title: string; cost: string; mark: string };
  footer(web: string): string;
}

const n = formatNumber;
const TEXT: Record<DocumentLanguage, FormText> = {
  en: {
    heading: (pot) => `Paper ballot: ${pot}`,
    rule: (pot) => {
      const budget = formatPounds(pot.budgetPence, 'en');
      if (pot.kind === 'knapsack')
        return `Choose the projects you want funded. Their costs together must not come to more than the budget of ${budget}.`;
      if (pot.kind === 'cumulative')
        return `You have ${n(pot.points ?? 0, 'en')} points to share between the projects you support: write how many points you give each one. The budget is ${budget}.`;
      const fewest = pot.minPicks && pot.minPicks > 1 ? `at least ${n(pot.minPicks, 'en')} and ` : '';
      return `Choose ${fewest}up to ${n(pot.maxPicks ?? pot.proposals.length, 'en')} projects you support. The budget is ${budget}.`;
    },
    mark: 'Mark your choices with a cross (X) in the box. A form with more choices than allowed is not counted.',
    reference: 'Your register reference (as on your poll card):',
    columns: { number: 'No.', title: 'Project', cost: 'Cost', mark: 'Your mark' },
    footer: (web) => `Hand this form to the officer or put it in the ballot box. You can also vote online at ${web}.`,
  },
  bn: {
    heading: (pot) => `কাগজের ব্যালট: ${pot}`,
    rule: (pot) => {
      const budget = formatPounds(pot.budgetPence, 'bn');
      if (pot.kind === 'knapsack') return `যে প্রকল্পগুলোর অর্থায়ন চান সেগুলো বেছে নিন। সেগুলোর মোট খরচ বাজেট ${budget}-এর বেশি হতে পারবে না।`;
      if (pot.kind === 'cumulative')
        return `আপনার সমর্থিত প্রকল্পগুলোর মধ্যে ভাগ করার জন্য আপনার কাছে ${n(pot.points ?? 0, 'bn')} পয়েন্ট আছে: প্রতিটিকে কত পয়েন্ট দিচ্ছেন তা লিখুন। বাজেট ${budget}।`;
      const fewest = pot.minPicks && pot.minPicks > 1 ? `কমপক্ষে ${n(pot.minPicks, 'bn')}টি এবং ` : '';
      return `আপনার সমর্থিত ${fewest}সর্বোচ্চ ${n(pot.maxPicks ?? pot.proposals.length, 'bn')}টি প্রকল্প বেছে নিন। বাজেট ${budget}।`;
    },
    mark: 'আপনার পছন্দের ঘরে ক্রস (X) চিহ্ন দিন। অনুমোদিত সংখ্যার বেশি পছন্দ থাকলে ফর্মটি গণনা করা হবে না।',
    reference: 'আপনার নিবন্ধন রেফারেন্স (আপনার পোল কার্ডে যেমন আছে):',
    columns: { number: 'নং', title: 'প্রকল্প', cost: 'খরচ', mark: 'আপনার চিহ্ন' },
    footer: (web) => `এই ফর্মটি কর্মকর্তার হাতে দিন অথবা ব্যালট বাক্সে রাখুন। আপনি ${web} ঠিকানায় অনলাইনেও ভোট দিতে পারেন।`,
  },
};

/** A printable paper ballot for a pot, in English then in Bengali: the rules in words, proposals by number and title, boxes to mark. */
export async function renderBallotForm(pot: BallotFormPot): Promise<Buffer> {
  const pdf = new PdfWriter(`Paper ballot: ${pot.fundName}, ${pot.potName}`);
  const { doc } = pdf;
  for (const language of ['en', 'bn'] as const) {
    const text = TEXT[language];
    pdf.page();
    pdf.line(pot.fundName, { size: 11, gap: 0 });
    pdf.line(text.heading(pot.potName), { size: 16, bold: true, gap: 6 });
    pdf.line(text.rule(pot), { size: 11 });
    pdf.line(text.mark, { size: 11, gap: 10 });
    const left = doc.page.margins.left;
    const right = doc.page.width - doc.page.margins.right;
    const showCost = pot.kind === 'knapsack';
    const markX = right - 60;
    const costX = markX - 90;
    const titleWidth = (showCost ? costX : markX) - (left + 40) - 10;
    const header = doc.y;
    pdf.line(text.columns.number, { size: 10, bold: true, x: left, width: 36 });
    doc.y = header;
    pdf.line(text.columns.title, { size: 10, bold: true, x: left + 40, width: titleWidth });
    if (showCost) {
      doc.y = header;
      pdf.line(text.columns.cost, { size: 10, bold: true, x: costX, width: 85 });
    }
    doc.y = header;
    pdf.line(text.columns.mark, { size: 10, bold: true, x: markX, width: 60 });
    pdf.rule();
    for (const proposal of pot.proposals) {
      if (doc.y > doc.page.height - doc.page.margins.bottom - 90) pdf.page();
      const top = doc.y;
      pdf.line(n(proposal.number, language), { size: 11, bold: true, x: left, width: 36, gap: 0 });
      doc.y = top;
      pdf.line(proposal.title, { size: 11, x: left + 40, width: titleWidth, gap: 0 });
      const bottom = doc.y;
      if (showCost && proposal.costPence !== undefined) {
        doc.y = top;
        pdf.line(formatPounds(proposal.costPence, language), { size: 11, x: costX, width: 85, gap: 0 });
      }
      if (pot.kind === 'cumulative') doc.lineWidth(1).rect(markX, top, 44, 18).stroke();
      else pdf.box(markX + 12, top, 16);
      doc.y = Math.max(bottom, top + 20) + 8;
    }
    doc.y += 12;
    pdf.line(text.reference, { size: 11, gap: 4 });
    doc.lineWidth(1).rect(left, doc.y, 220, 22).stroke();
    doc.y += 34;
    pdf.line(text.footer(pot.webAddress), { size: 10 });
  }
  return pdf.finish();
}
