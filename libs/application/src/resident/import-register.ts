import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  isDomainError,
  isRegisterRowError,
  registerRowChecker,
  requireRole,
  type DomainError,
  type ImportResident,
  type RegisterRow,
  type RegisterRowError,
} from '@civic/domain';
import { causedBy, type CommandInput } from '../command-handling/command-input';
import { childCommandId } from '../ports/event-ids';
import { readRegisterCsv, type RegisterCsvSource } from './register-csv';
import { RunResidentCommand, RunResidentCommandHandler } from './run-resident-command';

/**
 * How many rows of residents known already are imported at once through the usual command:
 * each group costs one sync of the vault's keys, one of the contact index and one of the
 * events, whatever its size, so the larger, the fewer. (At 32 a row a city's register spent
 * most of its import waiting for disks to sync.)
 */
const IMPORT_CONCURRENCY = 500;

/**
 * How many rows are read before they are imported together: the new residents among them in
 * one write of keys, one atomic append and one write of contacts (`importNew`). At most the
 * store's events per append (one event per new resident).
 */
const IMPORT_GROUP = 5000;

/**
 * Imports the register of eligible residents (CSV: reference, ward, date_of_birth; optionally
 * name, address, email), given whole or as a stream of chunks (see `readRegisterCsv`).
 */
export class ImportRegisterCommand {
  constructor(
    readonly csv: RegisterCsvSource,
    readonly input: CommandInput,
  ) {}
}

export interface ImportRegisterResult {
  readonly imported: number;
  /** Rows refused, by line and code: never by content. */
  readonly refused: readonly RegisterRowError[];
}

/**
 * One `ImportResident` per valid row, each with a command id derived from the import's id
 * and the row's reference: re-running the same import changes nothing, and a row that
 * failed can be fixed and imported again.
 */
@CommandHandler(ImportRegisterCommand)
export class ImportRegisterHandler implements ICommandHandler<ImportRegisterCommand, ImportRegisterResult> {
  constructor(private readonly residents: RunResidentCommandHandler) {}

  async execute({ csv, input }: ImportRegisterCommand): Promise<ImportRegisterResult> {
    requireRole(input.actor, ['administrator'], 'import the register');
    const refused: RegisterRowError[] = [];
    let imported = 0;
    const refuse = (row: RegisterRow, error: DomainError) => refused.push({ line: row.line, code: error.code, message: error.message });
    const asCommand = (row: RegisterRow) => {
      const { reference, ward, dateOfBirth, name, address, email } = row;
      const payload = { reference, ward, dateOfBirth, name, address, email };
      return { payload, input: causedBy(input, childCommandId(input.commandId, `row:${row.reference}`)) };
    };
    const importRow = async (row: RegisterRow) => {
      const { payload, input: rowInput } = asCommand(row);
      try {
        const result = await this.residents.execute(new RunResidentCommand<ImportResident>('ImportResident', payload, rowInput));
        // Written now, or by the first call of this import: a retry answers as that call did.
        if (result.position !== undefined) imported++;
      } catch (error) {
        if (!isDomainError(error)) throw error;
        refuse(row, error);
      }
    };
    // New residents are written together; the rest (known already) one command each. Rows are
    // distinct residents (the checker refuses a reference seen before), so those can go in
    // parallel: a bounded number at once lets the store commit them in groups. The file is read
    // as the rows are imported, so a register of any length holds only one group at a time.
    const importGroup = async (group: readonly RegisterRow[]) => {
      const outcomes = await this.residents.importNew(group.map(asCommand));
      const left: RegisterRow[] = [];
      outcomes.forEach((outcome, i) => {
        if (outcome.kind === 'written') imported++;
        else if (outcome.kind === 'refused') refuse(group[i], outcome.error);
        else left.push(group[i]);
      });
      for (let from = 0; from < left.length; from += IMPORT_CONCURRENCY) {
        await Promise.all(left.slice(from, from + IMPORT_CONCURRENCY).map(importRow));
      }
    };
    const check = registerRowChecker();
    let group: RegisterRow[] = [];
    for await (const item of readRegisterCsv(csv)) {
      const checked = 'refused' in item ? item.refused : check(item.line, item.record);
      if (isRegisterRowError(checked)) refused.push(checked);
      else group.push(checked);
      if (group.length === IMPORT_GROUP) {
        await importGroup(group);
        group = [];
      }
    }
    await importGroup(group);
    return { imported, refused: refused.sort((a, b) => a.line - b.line) };
  }
}
