import { quoteSchema } from '@civic/event-store-postgres/schema/schema-name';
import { ConfigError, loadConfig } from './app-config';

describe(loadConfig.name, () => {
  it('gives the defaults of a fresh machine: SQLite under ./data on port 3000', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 3000, EVENT_STORE: 'sqlite', SQLITE_PATH: './data/civic-ledger.sqlite' });
  });

  it('keeps read models beside the store file, and introspection on outside production', () => {
    const config = loadConfig({ SQLITE_PATH: '/var/lib/civic/events.sqlite' });
    expect(config.READ_MODEL_PATH).toBe('/var/lib/civic/read-models.sqlite');
    expect(config.GRAPHQL_INTROSPECTION).toBe(true);
    expect(
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(32),
        KEY_MASTER_SECRET: 'k'.repeat(44),
        AUDIT_SIGNING_KEY: 'a'.repeat(48),
      }).GRAPHQL_INTROSPECTION,
    ).toBe(false);
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
    [{ NODE_ENV: 'production' }, /JWT_SECRET: required/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }, /KEY_MASTER_SECRET: required/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET="short": must be at least 32/],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, /RATE_LIMIT_PER_MINUTE/],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('allows the PostgreSQL schema names the store takes, and no others, naming DATABASE_SCHEMA', () => {
    for (let length = 1; length <= 70; length++) {
      const name = 'a'.repeat(length);
      const store = (() => {
        try {
          return quoteSchema(name) !== undefined;
        } catch {
          return false;
        }
      })();
      const config = (() => {
        try {
          return loadConfig({ DATABASE_SCHEMA: name }).DATABASE_SCHEMA === name;
        } catch (err) {
          expect(String(err)).toMatch(/DATABASE_SCHEMA=/);
          return false;
        }
      })();
      expect([length, config]).toEqual([length, store]);
    }
    expect(() => loadConfig({ DATABASE_SCHEMA: 'a'.repeat(51) })).toThrow(/DATABASE_SCHEMA=.*at most 50 characters/);
  });
});
