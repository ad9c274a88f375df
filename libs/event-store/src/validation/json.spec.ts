import { serialiseJson, withJsonText } from './json';

describe(serialiseJson.name, () => {
  it.each([
    [{ a: undefined }, 'Invalid data.a: holds a value of type undefined, which JSON cannot carry'],
    [{ a: 1n }, 'Invalid data.a: holds a value of type bigint, which JSON cannot carry'],
    [{ a: new Date(0) }, 'Invalid data.a: is an instance of Date, not plain JSON'],
    [{ a: new Int8Array(1) }, 'Invalid data.a: is an instance of Int8Array, not plain JSON'],
  ])('names the path and what is wrong in plain words: %p', (value, message) => {
    expect(() => serialiseJson(value, 'data')).toThrow(message);
  });

  it('writes the text a writer gave with a value it made, and serialises any other value itself', () => {
    const text = '{"b":1,"a":[2]}';
    expect(serialiseJson(withJsonText(JSON.parse(text), text), 'data')).toBe(text);
    expect(serialiseJson({ b: 1, a: [2] }, 'data')).toBe('{"b":1,"a":[2]}');
    expect(serialiseJson(JSON.parse(text), 'data')).toBe(text);
  });
});
