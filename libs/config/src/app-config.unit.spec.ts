import { ConfigError, loadConfig } from './app-config';

describe(loadConfig.name, () => {
  it('gives the defaults of a fresh machine: SQLite under ./data on port 3000', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 3000, EVENT_STORE: 'sqlite', SQLITE_PATH: './data/civic-ledger.sqlite' });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT="abc"/],
    [{ PORT: '70000' }, /PORT="70000"/],
    [{ EVENT_STORE: 'mysql' }, /EVENT_STORE="mysql".*sqlite.*postgres.*eventstoredb/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ EVENT_STORE: 'eventstoredb' }, /EVENTSTOREDB_URL: required/],
    [{ EVENTSTOREDB_URL: 'http://x' }, /EVENTSTOREDB_URL/],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
