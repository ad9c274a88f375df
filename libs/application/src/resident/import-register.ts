import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { isDomainError, parseRegisterCsv, requireRole, type ImportResident, type RegisterRowError } from '@civic/domain';
import { causedBy, type CommandInput } from '../command-handling/command-input';
import { childCommandId } from '../ports/event-ids';
import { RunResidentCommand, RunResidentCommandHandler } from './run-resident-command';

/** How many rows are imported at once. */
const IMPORT_CONCURRENCY = 32;

/** Imports the register of eligible residents (CSV: reference, ward, date_of_birth; optionally name, address, email). */
export class ImportRegisterCommand {
  constructor(
    readonly csv: string,
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
    const { rows, errors } = parseRegisterCsv(csv);
    const refused: RegisterRowError[] = [...errors];
    let imported = 0;
    const importRow = async (row: (typeof rows)[number]) => {
      const rowInput = causedBy(input, childCommandId(input.commandId, `row:${row.reference}`));
      const { reference, ward, dateOfBirth, name, address, email } = row;
      const payload = { reference, ward, dateOfBirth, name, address, email };
      try {
        const result = await this.residents.execute(new RunResidentCommand<ImportResident>('ImportResident', payload, rowInput));
        // Written now, or by the first call of this import: a retry answers as that call did.
        if (result.position !== undefined) imported++;
      } catch (error) {
        if (!isDomainError(error)) throw error;
        refused.push({ line: row.line, code: error.code, message: error.message });
      }
    };
    // Rows are distinct residents (duplicates were refused by the parser), so they can go in
    // parallel: a bounded number at once lets the store commit them in groups.
    for (let i = 0; i < rows.length; i += IMPORT_CONCURRENCY) await Promise.all(rows.slice(i, i + IMPORT_CONCURRENCY).map(importRow));
    return { imported, refused: refused.sort((a, b) => a.line - b.line) };
  }
}
