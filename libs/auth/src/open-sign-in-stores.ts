import { existsSync } from 'node:fs';
import type { AppConfig } from '@civic/config';
import type { ContactIndex, ContactIndexKeys } from './email-code/contact-index.port';
import { SqliteContactIndex } from './email-code/contact-index';
import type { SignInCodeStore } from './email-code/sign-in-code-store.port';
import { SqliteSignInCodes } from './email-code/sign-in-codes';
import type { PollCardStore } from './poll-card/poll-card-store.port';
import { SqlitePollCards } from './poll-card/sqlite-poll-cards';

/** The stores of residents' sign-in besides sessions. */
export interface SignInStores {
  readonly signInCodes: SignInCodeStore;
  readonly contacts: ContactIndex;
  readonly pollCards: PollCardStore;
}

/**
 * Opens them where the configuration says, each with its tables ready; the PostgreSQL client is
 * loaded only when used. The e-mailed codes' challenges and outbox follow the sessions
 * (`SESSION_STORE`: the node's `SESSIONS_PATH`, or `DATABASE_SCHEMA` when the vault is shared
 * too: `VAULT_STORE=postgres`); the contact index and
 * the poll cards follow the residents' keys they are erased with (`VAULT_STORE`: the node's
 * `PERSONAL_DATA_PATH`, or `VAULT_SCHEMA` on `VAULT_DATABASE_URL`).
 */
export async function openSignInStores(config: AppConfig, keys: ContactIndexKeys): Promise<SignInStores> {
  const opened: { close(): Promise<void> }[] = [];
  const keep = <T extends { close(): Promise<void> }>(store: T): T => (opened.push(store), store);
  try {
    let signInCodes: SignInCodeStore;
    // Shared only with the vault shared too: any node's worker may send any code, and it finds the
    // resident through the contact index and opens their address with their key.
    if (config.SESSION_STORE === 'postgres' && config.VAULT_STORE === 'postgres') {
      const { PostgresSignInCodes } = await import('./email-code/postgres-sign-in-codes');
      const store = keep(new PostgresSignInCodes({ connectionString: config.DATABASE_URL, schema: config.DATABASE_SCHEMA }));
      await store.ready();
      signInCodes = store;
    } else signInCodes = keep(new SqliteSignInCodes({ path: config.SESSIONS_PATH }));
    let contacts: ContactIndex;
    let pollCards: PollCardStore;
    if (config.VAULT_STORE === 'postgres') {
      const { PostgresContactIndex } = await import('./email-code/postgres-contact-index');
      const { PostgresPollCards } = await import('./poll-card/postgres-poll-cards');
      const vault = { connectionString: config.VAULT_DATABASE_URL, schema: config.VAULT_SCHEMA };
      const index = keep(new PostgresContactIndex({ ...vault, ...keys }));
      const cards = keep(new PostgresPollCards(vault));
      await Promise.all([index.ready(), cards.ready()]);
      if (config.PERSONAL_DATA_PATH !== ':memory:' && existsSync(config.PERSONAL_DATA_PATH)) {
        await moveLocalRows({ path: config.PERSONAL_DATA_PATH, ...keys }, index, cards);
      }
      [contacts, pollCards] = [index, cards];
    } else {
      contacts = keep(new SqliteContactIndex({ path: config.PERSONAL_DATA_PATH, ...keys }));
      pollCards = keep(new SqlitePollCards({ path: config.PERSONAL_DATA_PATH }));
    }
    return { signInCodes, contacts, pollCards };
  } catch (err) {
    await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
    throw err;
  }
}

/**
 * A node that kept its contact index and poll cards in its own vault file (before they were
 * shared) hands them to the shared stores at its start, then deletes its copies: the residents
 * registered through it stay findable by address on every node, and the cards printed through
 * it keep working, whichever node a resident signs in through.
 */
async function moveLocalRows(
  local: { path: string } & ContactIndexKeys,
  index: { adopt(rows: ReturnType<SqliteContactIndex['rows']>): Promise<void> },
  cards: { adopt(rows: ReturnType<SqlitePollCards['rows']>): Promise<void> },
): Promise<void> {
  const localIndex = new SqliteContactIndex(local);
  const localCards = new SqlitePollCards(local);
  try {
    const [contactRows, cardRows] = [localIndex.rows(), localCards.rows()];
    if (contactRows.length > 0) await index.adopt(contactRows);
    if (cardRows.length > 0) await cards.adopt(cardRows);
    localIndex.clear();
    localCards.clear();
  } finally {
    await Promise.all([localIndex.close(), localCards.close()]);
  }
}
