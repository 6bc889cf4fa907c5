/** One record of the file: its fields (null for NULL) and the line it starts on (1-based). */
export interface SourceRecord {
  line: number;
  fields: (string | null)[];
  /** JSON sources: the JSON text of fields that were strings (`"a JSON string"`), for JSON columns. */
  raw?: (string | undefined)[];
}

/** A field as a column of this kind takes it: a JSON column gets a JSON string value as JSON text, as it was exported. */
export function fieldFor(record: SourceRecord, source: number, json: boolean): string | null {
  if (json && record.raw) {
    const raw = record.raw[source];
    if (raw !== undefined) return raw;
  }
  return record.fields[source] ?? null;
}
