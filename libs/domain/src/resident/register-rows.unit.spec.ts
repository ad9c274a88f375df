import { parseRegisterCsv } from './register-csv';

describe(parseRegisterCsv.name, () => {
  it('reads rows in any column order, normalising references', () => {
    const csv = 'Ward,Date of birth,Reference\nspitalfields,1990-05-17, ab 123 456\r\n"bow-east, north",2001-12-31,ＣＤ７８９\n';
    expect(parseRegisterCsv(csv)).toEqual({
      rows: [
        { line: 2, reference: 'AB123456', ward: 'spitalfields', dateOfBirth: '1990-05-17' },
        { line: 3, reference: 'CD789', ward: 'bow-east, north', dateOfBirth: '2001-12-31' },
      ],
      errors: [],
    });
  });

  it('reports bad rows by line and code, and keeps the good ones', () => {
    const csv = [
      'reference,ward,date_of_birth',
      'AB1,spitalfields,1990-02-30',
      'x,spitalfields,1990-01-01',
      'AB2,,1990-01-01',
      'ab 2,bow,1990-01-01',
      'AB3,bow,1980-01-01',
      'AB4,bow,1066-10-14',
    ].join('\n');
    const parsed = parseRegisterCsv(csv);
    expect(parsed.rows.map((r) => r.reference)).toEqual(['AB2', 'AB3']);
    expect(parsed.errors).toEqual([
      { line: 2, code: 'RESIDENT.INVALID_DATE_OF_BIRTH', message: expect.any(String) },
      { line: 3, code: 'RESIDENT.INVALID_REFERENCE', message: expect.any(String) },
      { line: 4, code: 'RESIDENT.INVALID_WARD', message: expect.any(String) },
      { line: 7, code: 'RESIDENT.INVALID_DATE_OF_BIRTH', message: expect.any(String) },
    ]);
  });

  it('reads the optional personal columns when present', () =>
    expect(
      parseRegisterCsv('reference,ward,date_of_birth,name,email,address\nAB123,bow,1990-01-01,"Begum, Amina",a@example.org,\n').rows,
    ).toEqual([{ line: 2, reference: 'AB123', ward: 'bow', dateOfBirth: '1990-01-01', name: 'Begum, Amina', email: 'a@example.org' }]));

  it('refuses a file without the three columns', () =>
    expect(parseRegisterCsv('reference,ward\nAB1,bow').errors).toEqual([
      { line: 1, code: 'REGISTER.INVALID_CSV', message: expect.any(String) },
    ]));

  it('reports a reference seen twice, however typed', () =>
    expect(parseRegisterCsv('reference,ward,date_of_birth\nAB12,bow,1990-01-01\nab 12,bow,1990-01-01').errors).toEqual([
      { line: 3, code: 'RESIDENT.ALREADY_REGISTERED', message: expect.any(String) },
    ]));
});
