import { Readable } from 'node:stream';
import { readRegisterCsv, type RegisterCsvItem, type RegisterCsvSource } from './register-csv';

const read = async (source: RegisterCsvSource): Promise<RegisterCsvItem[]> => {
  const items: RegisterCsvItem[] = [];
  for await (const item of readRegisterCsv(source)) items.push(item);
  return items;
};
const refusedLines = (items: RegisterCsvItem[]) => items.flatMap((i) => ('refused' in i ? [[i.refused.line, i.refused.code]] : []));
const recordLines = (items: RegisterCsvItem[]) => items.flatMap((i) => ('record' in i ? [[i.line, i.record.reference]] : []));

describe(readRegisterCsv.name, () => {
  it('keeps a quoted line break inside its field (an address over two lines), and the lines after it right', async () => {
    const csv = [
      'reference,ward,date_of_birth,address',
      'AB1,bow,1990-01-01,"1 High Street',
      'Flat 2, Bow"',
      'AB2,bow,1990-01-02,"3 Low Road"',
      'AB3,bow,1990-01-03,',
    ].join('\n');
    const items = await read(csv);
    expect(items).toEqual([
      { line: 2, record: { reference: 'AB1', ward: 'bow', date_of_birth: '1990-01-01', address: '1 High Street\nFlat 2, Bow' } },
      { line: 4, record: { reference: 'AB2', ward: 'bow', date_of_birth: '1990-01-02', address: '3 Low Road' } },
      { line: 5, record: { reference: 'AB3', ward: 'bow', date_of_birth: '1990-01-03', address: '' } },
    ]);
  });

  it('refuses a record with a stray quote on its own line, and reads the records after it as usual', async () => {
    const csv = [
      'reference,ward,date_of_birth',
      'AB1,bo"w,1990-01-01',
      'AB2,"bow" ,1990-01-02',
      'AB3,O"Brien Road,1990-01-03',
      'AB4, bow,1990-01-04',
    ].join('\n');
    const items = await read(csv);
    expect(recordLines(items)).toEqual([
      [3, 'AB2'],
      [5, 'AB4'],
    ]);
    expect(refusedLines(items)).toEqual([
      [2, 'REGISTER.INVALID_CSV'],
      [4, 'REGISTER.INVALID_CSV'],
    ]);
    expect(items.filter((i) => 'record' in i).map((i) => 'record' in i && i.record.ward)).toEqual(['bow', 'bow']);
    // Refusals never quote the content.
    for (const item of items) if ('refused' in item) expect(item.refused.message).not.toMatch(/AB|bow|Brien|1990/);
  });

  it('refuses from the line where a quote is never closed, or where text follows a closing quote, saying the rest went with it', async () => {
    const rows = (bad: string) => ['reference,ward,date_of_birth', 'AB1,bow,1990-01-01', bad, 'AB3,bow,1990-01-03'].join('\n');
    const unclosed = await read(rows('AB2,"bow,1990-01-02'));
    expect(recordLines(unclosed)).toEqual([[2, 'AB1']]);
    expect(unclosed.slice(1)).toEqual([
      { refused: { line: 3, code: 'REGISTER.INVALID_CSV', message: expect.stringContaining('never closed, so the rest of the file') } },
    ]);
    const trailing = await read(rows('AB2,"bow"x,1990-01-02'));
    expect(recordLines(trailing)).toEqual([[2, 'AB1']]);
    expect(trailing.slice(1)).toEqual([
      { refused: { line: 3, code: 'REGISTER.INVALID_CSV', message: expect.stringContaining('after the closing quote') } },
      { refused: { line: 3, code: 'REGISTER.INVALID_CSV', message: expect.stringContaining('the rest of the file') } },
    ]);
  });

  it('reads a byte-order mark, CRLF (also inside quotes), mixed line ends and blank lines, counting lines as an editor does', async () => {
    const csv =
      '\uFEFFreference,ward,date_of_birth,address\r\n' +
      'AB1,bow,1990-01-01,"1 High Street\r\nBow"\r\n' +
      '\r\n' +
      'AB2,bow,1990-01-02,x\n' +
      ',,,\r\n' +
      'AB3,"bo""w",1990-01-03,"a\r\nb\r\nc"\r\n' +
      'x!,bow,1990-01-04,\r\n';
    const items = await read(csv);
    expect(items).toEqual([
      { line: 2, record: { reference: 'AB1', ward: 'bow', date_of_birth: '1990-01-01', address: '1 High Street\r\nBow' } },
      { line: 5, record: { reference: 'AB2', ward: 'bow', date_of_birth: '1990-01-02', address: 'x' } },
      { line: 7, record: { reference: 'AB3', ward: 'bo"w', date_of_birth: '1990-01-03', address: 'a\r\nb\r\nc' } },
      { line: 10, record: { reference: 'x!', ward: 'bow', date_of_birth: '1990-01-04', address: '' } },
    ]);
  });

  it('reads the columns in any order and by any spelling of their names, ignoring unknown ones', async () => {
    const items = await read('Ward,Notes,Date of birth,REFERENCE,e-mail,Email\nspitalfields,"n, o",1990-05-17,AB1,x,a@example.org\n');
    expect(items).toEqual([
      { line: 2, record: { ward: 'spitalfields', date_of_birth: '1990-05-17', reference: 'AB1', email: 'a@example.org' } },
    ]);
  });

  it('refuses the whole file when the header lacks a column, names one twice, is not valid CSV, or is missing', async () => {
    const refusal = (csv: string) =>
      read(csv).then(
        () => undefined,
        (err: { code: string; message: string }) => err,
      );
    expect(await refusal('reference,ward\nAB1,bow')).toMatchObject({
      code: 'REGISTER.INVALID_CSV',
      message: expect.stringContaining('date_of_birth'),
    });
    expect(await refusal('reference,ward,date_of_birth,Ward\nAB1,bow,1990-01-01,x')).toMatchObject({
      code: 'REGISTER.INVALID_CSV',
      message: expect.stringContaining('ward twice'),
    });
    expect(await refusal('reference,wa"rd,date_of_birth\nAB1,bow,1990-01-01')).toMatchObject({ code: 'REGISTER.INVALID_CSV' });
    expect(await refusal('')).toMatchObject({ code: 'REGISTER.INVALID_CSV', message: 'The file is empty.' });
    expect(await refusal('\n\n')).toMatchObject({ code: 'REGISTER.INVALID_CSV' });
  });

  it('reads a stream in chunks cut anywhere (inside a quoted line break, inside a UTF-8 character) as it reads the whole text', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `TH${i},"Bow\r\nEast",1990-01-01,"Zoë ${i}\n""2nd"" line"`);
    const csv = `\uFEFFreference,ward,date_of_birth,name\r\n${rows.join('\r\n')}\r\n`;
    const bytes = Buffer.from(csv);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const whole = await read(csv);
    expect(await read(Readable.from(chunks))).toEqual(whole);
    expect(whole).toHaveLength(2000);
    // Each record spans three lines: record i starts on line 2 + 3i.
    expect(whole[1999]).toEqual({
      line: 2 + 3 * 1999,
      record: { reference: 'TH1999', ward: 'Bow\r\nEast', date_of_birth: '1990-01-01', name: 'Zoë 1999\n"2nd" line' },
    });
  });

  it('stops reading when the reader stops early', async () => {
    let pulled = 0;
    async function* source() {
      yield 'reference,ward,date_of_birth\n';
      for (let i = 0; i < 100_000; i++) {
        pulled++;
        yield `AB${i},bow,1990-01-01\n`;
      }
    }
    for await (const item of readRegisterCsv(source())) if ('record' in item) break;
    await new Promise((resolve) => setImmediate(resolve));
    expect(pulled).toBeLessThan(100_000);
  });
});
