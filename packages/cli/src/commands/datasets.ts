/** `cairn datasets upload`: streams a file into a new dataset version, with a progress bar on a terminal. */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import type { Command } from "commander";
import { common, connect, type CommonOptions } from "../cli/context.js";
import { UsageError } from "../cli/errors.js";
import { bar, bytes } from "../cli/output.js";
import { collect } from "../cli/parse.js";

interface UploadOpts extends CommonOptions {
  fileName?: string;
  format?: "csv" | "jsonl" | "parquet";
  allowSchemaChange?: boolean;
  parent: string[];
}

export function registerDatasets(program: Command) {
  const datasets = program.command("datasets").description("dataset versions");
  common(datasets.command("upload <dataset> <file>"))
    .description("upload FILE as the next version of DATASET (created with its first version); identical bytes answer the existing version")
    .option("--file-name <name>", "the file name to record (default: FILE's name)")
    .option("--format <format>", "csv, jsonl or parquet (default: from the file name)")
    .option("--allow-schema-change", "accept columns that differ from the latest version's (refused otherwise)")
    .option("--parent <versionId>", "a parent version of a derived version (repeatable)", collect, [])
    .action(async (dataset: string, file: string, opts: UploadOpts) => {
      if (opts.format && !["csv", "jsonl", "parquet"].includes(opts.format)) throw new UsageError("--format is csv, jsonl or parquet");
      const size = await stat(file).then(
        (s) => s.size,
        () => {
          throw new UsageError(`cannot read ${file}`);
        },
      );
      const { client, out, project } = await connect(opts);
      let sent = 0;
      const started = Date.now();
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          sent += chunk.length;
          const rate = sent / Math.max(0.001, (Date.now() - started) / 1000);
          out.progress.update(`${bar(size ? sent / size : 1)} ${bytes(sent)} / ${bytes(size)}  ${bytes(rate)}/s`);
          done(null, chunk);
        },
      });
      const body = Readable.toWeb(createReadStream(file).pipe(counter)) as ReadableStream<Uint8Array>;
      const result = await client.datasets
        .upload(await project(), dataset, body, { fileName: opts.fileName ?? path.basename(file), format: opts.format, allowSchemaChange: opts.allowSchemaChange, parents: opts.parent })
        .finally(() => out.progress.clear());
      const v = result.version;
      out.result(result, () =>
        result.created
          ? `${dataset} v${v.number} created: ${v.rowCount ?? "?"} rows, ${v.columns.length} columns, ${bytes(v.sizeBytes)} (version id ${v.id})`
          : `${dataset} v${v.number} unchanged: these bytes are already that version (version id ${v.id})`,
      );
    });
}
