import PDFDocument from 'pdfkit';
import { fontPath, type FontName } from './fonts';
import { scriptRuns } from './script-runs';

export interface LineOptions {
  readonly size?: number;
  readonly bold?: boolean;
  /** Space after the line, in points. */
  readonly gap?: number;
  readonly x?: number;
  readonly width?: number;
}

/**
 * A PDF being written (pdfkit, glyphs shaped by fontkit): A4, the committed Noto fonts embedded
 * as subsets, every line split into script runs so that Bengali and Latin text each get their
 * own font within one line.
 */
export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;

  constructor(title: string) {
    this.doc = new PDFDocument({ size: 'A4', margin: 56, autoFirstPage: false, info: { Title: title, Creator: 'civic-ledger' } });
    for (const name of ['latin', 'latinBold', 'bengali', 'bengaliBold'] as FontName[]) this.doc.registerFont(name, fontPath(name));
    this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.done = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
  }

  page(): this {
    this.doc.addPage();
    return this;
  }

  /** One paragraph of mixed Bengali and Latin text, wrapped to the page (or to `width`). */
  line(text: string, options: LineOptions = {}): this {
    const { size = 11, bold = false, gap = 4 } = options;
    const runs = scriptRuns(text);
    const layout = { width: options.width ?? this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right, lineGap: 2 };
    if (options.x !== undefined) this.doc.x = options.x;
    runs.forEach((run, index) => {
      const font: FontName = run.script === 'bengali' ? (bold ? 'bengaliBold' : 'bengali') : bold ? 'latinBold' : 'latin';
      this.doc
        .font(font)
        .fontSize(size)
        .text(run.text, { ...layout, continued: index < runs.length - 1 });
    });
    if (runs.length === 0) this.doc.moveDown(0.5);
    this.doc.y += gap;
    this.doc.x = this.doc.page.margins.left;
    return this;
  }

  /** An empty square to mark, at the current line. */
  box(x: number, y: number, size = 14): this {
    this.doc.lineWidth(1).rect(x, y, size, size).stroke();
    return this;
  }

  rule(): this {
    const { left, right } = this.doc.page.margins;
    this.doc
      .lineWidth(0.5)
      .moveTo(left, this.doc.y)
      .lineTo(this.doc.page.width - right, this.doc.y)
      .stroke();
    this.doc.y += 8;
    return this;
  }

  /** Ends the document and gives its bytes. */
  finish(): Promise<Buffer> {
    this.doc.end();
    return this.done;
  }
}
