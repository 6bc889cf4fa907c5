import { OutputFile } from '../../table-browser/core/export/output-file';

function field(v: string | null): string {
  if (v === null) return '';
  if (v === '') return '""';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * The records skip mode could not import, as CSV (PostgreSQL COPY conventions: NULL is an empty field,
 * '' is ""): `line,column,error`, then the record's fields as read. Written as the import goes; kept
 * only when the import finishes.
 */
export class RejectsFile {
  count = 0;
  private constructor(private readonly file: OutputFile) {}

  static async create(path: string, sources: readonly string[]): Promise<RejectsFile> {
    const file = await OutputFile.create(path, true);
    await file.write(['line', 'column', 'error', ...sources].map(field).join(',') + '\n');
    return new RejectsFile(file);
  }

  async add(line: number | null, column: string | null, error: string, fields: readonly (string | null)[]): Promise<void> {
    this.count++;
    await this.file.write([line === null ? null : String(line), column, error, ...fields].map(field).join(',') + '\n');
  }

  get path(): string {
    return this.file.path;
  }

  commit(): Promise<void> {
    return this.file.commit();
  }

  discard(): Promise<void> {
    return this.file.discard();
  }
}
