/**
 * One `;`-separated record, read the way Python's `csv` module reads it in its default relaxed
 * mode (what pabutools uses): a field opening with `"` is quoted, `""` inside it is a quote, and
 * text after a closing quote is kept (`"Odkupmy" i my` reads `Odkupmy i my`). Returns
 * `undefined` when a quoted field is still open at the end of the text (the record goes on
 * on the next line). Fields are not trimmed here.
 */
export function splitRecord(text: string): string[] | undefined {
  if (!text.includes('"')) return text.split(';');
  const fields: string[] = [];
  let field = '';
  let state: 'start' | 'plain' | 'quoted' | 'quote-in-quoted' = 'start';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    switch (state) {
      case 'start':
      case 'plain':
        if (ch === ';') {
          fields.push(field);
          field = '';
          state = 'start';
        } else if (ch === '"' && state === 'start') state = 'quoted';
        else {
          field += ch;
          state = 'plain';
        }
        break;
      case 'quoted':
        if (ch === '"') state = 'quote-in-quoted';
        else field += ch;
        break;
      case 'quote-in-quoted':
        if (ch === '"') {
          field += '"';
          state = 'quoted';
        } else if (ch === ';') {
          fields.push(field);
          field = '';
          state = 'start';
        } else {
          field += ch;
          state = 'plain';
        }
        break;
    }
  }
  if (state === 'quoted') return undefined;
  fields.push(field);
  return fields;
}

/** Writes one field, quoting it when a reader could misread it. */
export function quoteField(value: string): string {
  if (/[;"\r\n]/.test(value) || value !== value.trim()) return `"${value.replace(/"/g, '""')}"`;
  return value;
}
