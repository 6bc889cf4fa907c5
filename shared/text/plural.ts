/** A count with its noun in the right number: "1 lint warning", "2 lint warnings", "1,234 rows". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
