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
    [{ JWT_SECRET: 'x'.repeat(32), JWT_SECRET_PREVIOUS: 'short' }, /JWT_SECRET_PREVIOUS="short": must be at least 32/],
    [{ JWT_SECRET: 'x'.repeat(32), JWT_SECRET_PREVIOUS: 'x'.repeat(32) }, /JWT_SECRET_PREVIOUS: must differ from JWT_SECRET/],
    [{ JWT_SECRET_PREVIOUS: 'y'.repeat(32) }, /JWT_SECRET_PREVIOUS: only with JWT_SECRET set/],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, /RATE_LIMIT_PER_MINUTE/],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  describe('sign-in settings', () => {
    const staff = {
      OIDC_STAFF_ISSUER: 'https://login.council.example/realms/staff',
      OIDC_STAFF_CLIENT_ID: 'civic-ledger',
      OIDC_STAFF_CLIENT_SECRET: 'secret',
      OIDC_STAFF_REDIRECT_URI: 'https://pb.council.example/auth/staff/callback',
      OIDC_STAFF_ROLES: 'administrator=pb-admins, reviewer=pb-officers,reviewer=cllr-office',
    };

    it('keeps sessions beside the store file, or in PostgreSQL with a PostgreSQL store', () => {
      expect(loadConfig({ SQLITE_PATH: '/srv/civic/events.sqlite' })).toMatchObject({
        SESSION_STORE: 'sqlite',
        SESSIONS_PATH: '/srv/civic/sessions.sqlite',
      });
      expect(loadConfig({ EVENT_STORE: 'postgres' }).SESSION_STORE).toBe('postgres');
    });

    it('reads the staff role mapping in its order of precedence', () => {
      expect(loadConfig(staff).OIDC_STAFF_ROLES).toEqual([
        { role: 'administrator', value: 'pb-admins' },
        { role: 'reviewer', value: 'pb-officers' },
        { role: 'reviewer', value: 'cllr-office' },
      ]);
      expect(loadConfig({}).OIDC_STAFF_ROLES).toEqual([]);
    });

    it.each([
      [{ ...staff, OIDC_STAFF_CLIENT_SECRET: '' }, /OIDC_STAFF_CLIENT_SECRET: required when OIDC_STAFF_ISSUER is set/],
      [{ ...staff, OIDC_STAFF_ROLES: undefined }, /OIDC_STAFF_ROLES: required/],
      [{ ...staff, OIDC_STAFF_ROLES: 'resident=everyone' }, /OIDC_STAFF_ROLES=.*roles must be one of reviewer/],
      [{ ...staff, OIDC_STAFF_ROLES: 'administrator' }, /OIDC_STAFF_ROLES=.*role=claim value pairs/],
      [{ ...staff, OIDC_STAFF_ISSUER: 'not a url' }, /OIDC_STAFF_ISSUER/],
      [{ RESIDENT_SIGN_IN_EMAIL_CODE: 'true', SMTP_FROM: 'pb@x.example' }, /SMTP_HOST: required when RESIDENT_SIGN_IN_EMAIL_CODE=true/],
      [{ RESIDENT_SIGN_IN_EMAIL_CODE: 'true', SMTP_HOST: 'smtp' }, /SMTP_FROM: required/],
      [{ SMTP_PORT: '0' }, /SMTP_PORT/],
      [{ OIDC_RESIDENT_ISSUER: 'https://id.example', OIDC_RESIDENT_CLIENT_ID: 'c' }, /OIDC_RESIDENT_REFERENCE_CLAIM: required/],
    ])('refuses a bad staff sign-in setting: %j', (env, message) => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    });
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
