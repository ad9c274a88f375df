import { isRegisterRowError, missingRegisterColumns, registerRowChecker, type RegisterRecord } from './register-rows';

const checkAll = (records: RegisterRecord[]) => {
  const check = registerRowChecker();
  return records.map((record, i) => check(i + 2, record));
};

describe(registerRowChecker.name, () => {
  it('normalises references and trims values', () =>
    expect(
      checkAll([
        { reference: ' ab 123 456', ward: 'spitalfields ', date_of_birth: '1990-05-17' },
        { reference: 'ＣＤ７８９', ward: 'bow-east, north', date_of_birth: '2001-12-31' },
      ]),
    ).toEqual([
      { line: 2, reference: 'AB123456', ward: 'spitalfields', dateOfBirth: '1990-05-17' },
      { line: 3, reference: 'CD789', ward: 'bow-east, north', dateOfBirth: '2001-12-31' },
    ]));

  it('refuses bad rows by line and code, and keeps the good ones', () => {
    const checked = checkAll([
      { reference: 'AB1', ward: 'spitalfields', date_of_birth: '1990-02-30' },
      { reference: 'x', ward: 'spitalfields', date_of_birth: '1990-01-01' },
      { reference: 'AB2', ward: '', date_of_birth: '1990-01-01' },
      { reference: 'ab 2', ward: 'bow', date_of_birth: '1990-01-01' },
      { reference: 'AB3', ward: 'bow', date_of_birth: '1980-01-01' },
      { reference: 'AB4', ward: 'bow', date_of_birth: '1066-10-14' },
      { reference: 'AB5', ward: 'bow' },
    ]);
    expect(checked.filter((c) => !isRegisterRowError(c)).map((r) => 'reference' in r && r.reference)).toEqual(['AB2', 'AB3']);
    expect(checked.filter(isRegisterRowError)).toEqual([
      { line: 2, code: 'RESIDENT.INVALID_DATE_OF_BIRTH', message: expect.any(String) },
      { line: 3, code: 'RESIDENT.INVALID_REFERENCE', message: expect.any(String) },
      { line: 4, code: 'RESIDENT.INVALID_WARD', message: expect.any(String) },
      { line: 7, code: 'RESIDENT.INVALID_DATE_OF_BIRTH', message: expect.any(String) },
      { line: 8, code: 'RESIDENT.INVALID_DATE_OF_BIRTH', message: expect.any(String) },
    ]);
  });

  it('keeps the optional personal values when present, leaving out empty ones', () =>
    expect(
      checkAll([
        { reference: 'AB123', ward: 'bow', date_of_birth: '1990-01-01', name: 'Begum, Amina', email: 'a@example.org', address: ' ' },
      ]),
    ).toEqual([{ line: 2, reference: 'AB123', ward: 'bow', dateOfBirth: '1990-01-01', name: 'Begum, Amina', email: 'a@example.org' }]));

  it('refuses a reference seen twice, however typed, on its second row; each register apart', () => {
    const rows = [
      { reference: 'AB12', ward: 'bow', date_of_birth: '1990-01-01' },
      { reference: 'ab 12', ward: 'bow', date_of_birth: '1990-01-01' },
    ];
    expect(checkAll(rows)[1]).toEqual({ line: 3, code: 'RESIDENT.ALREADY_REGISTERED', message: expect.any(String) });
    expect(isRegisterRowError(checkAll(rows)[0])).toBe(false);
  });
});

describe(missingRegisterColumns.name, () => {
  it('names the required columns a header lacks', () => {
    expect(missingRegisterColumns(['ward', 'reference', 'name'])).toEqual(['date_of_birth']);
    expect(missingRegisterColumns(['date_of_birth', 'ward', 'reference'])).toEqual([]);
  });
});
