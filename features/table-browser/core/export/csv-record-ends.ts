/**
 * Counts the records a CSV stream has finished, chunk by chunk: a line end inside a quoted field
 * (text with a line break) does not end a record. A doubled quote inside a field toggles twice, so
 * the state stays right; the state carries over between chunks, which may split a field anywhere.
 */
export function csvRecordEndCounter(quote = 0x22, lineEnd = 0x0a): (chunk: Uint8Array) => number {
  let quoted = false;
  return (chunk) => {
    let ends = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === quote) quoted = !quoted;
      else if (b === lineEnd && !quoted) ends++;
    }
    return ends;
  };
}
