import { AppError } from "../errors";
import type { SchemaChange } from "./schemas";

/** Columns added and removed from one version to the next (order aside); null when the sets agree. */
export function diffColumns(fromNumber: number, before: string[], after: string[]): SchemaChange | null {
  const had = new Set(before);
  const has = new Set(after);
  const added = after.filter((c) => !had.has(c));
  const removed = before.filter((c) => !has.has(c));
  return added.length === 0 && removed.length === 0 ? null : { fromNumber, added, removed };
}

const list = (names: string[]) => {
  const shown = names.slice(0, 20).map((n) => JSON.stringify(n));
  return names.length > 20 ? `${shown.join(", ")} and ${names.length - 20} more` : shown.join(", ");
};

/** The refusal of an upload whose columns differ from the latest version's, listing the differences. */
export function schemaChangeRefused(change: SchemaChange): AppError {
  const parts = [change.added.length ? `added ${list(change.added)}` : "", change.removed.length ? `removed ${list(change.removed)}` : ""].filter(Boolean);
  return new AppError(
    "CONFLICT",
    `The file's columns differ from version ${change.fromNumber}: ${parts.join("; ")}. ` +
      'Upload it with allowSchemaChange=1 (on the dataset page: tick "Allow a schema change") to accept the new schema, or fix the file.',
  );
}
