/**
 * The first `maxRows` records of CSV (or TSV) text: quoted fields, doubled quotes and CRLF handled.
 * `complete` false means the text was cut short, so its last partial line is dropped.
 */
export function parseDelimited(text: string, maxRows: number, complete: boolean, delimiter = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(field);
    rows.push(row);
    row = [];
    field = "";
  };
  while (i < text.length && rows.length < maxRows) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === "") quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      endRow();
      if (c === "\r" && text[i + 1] === "\n") i++;
    } else field += c;
    i++;
  }
  if (rows.length < maxRows && complete && (field !== "" || row.length > 0)) endRow();
  return rows;
}
