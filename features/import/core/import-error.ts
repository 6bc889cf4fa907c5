import { CoreError } from '../../../electron/core/errors';

/** Where an import failed, in the words the user needs to find it: the file's line, and the column when one is to blame. */
export function placeText(line: number | null, column: string | null): string {
  if (line === null) return column === null ? '' : `column "${column}": `;
  return column === null ? `line ${line}: ` : `line ${line}, column "${column}": `;
}

/** A record of the file that cannot be imported (its line and column in `detail`). */
export class ImportRecordError extends CoreError {
  constructor(
    readonly reason: string,
    readonly line: number | null,
    readonly column: string | null,
    code: 'invalid-input' | 'query-failed' = 'invalid-input',
  ) {
    super(code, `${placeText(line, column)}${reason}`, { line, column });
  }
}

/** A field that cannot become its column's value (not a number, a bad date…); the caller names line and column. */
export class ConversionError extends Error {
  override name = 'ConversionError';
}
