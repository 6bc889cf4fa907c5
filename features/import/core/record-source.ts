/** One record of the file: its fields (null for NULL) and the line it starts on (1-based). */
export interface SourceRecord {
  line: number;
  fields: (string | null)[];
}
