/**
 * Prisma's schema engine, run as WebAssembly so that migrations work on hosts that cannot
 * download the native engine. Migrations keep Prisma's standard folder layout and its
 * `_prisma_migrations` table, so `prisma migrate deploy` on an online host agrees with this.
 */
import { readFile, readdir, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import {
  ColumnTypeEnum,
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlQueryable,
} from "@prisma/driver-adapter-utils";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import { ROOT } from "../lib/paths";

const require = createRequire(import.meta.url);

export const SCHEMA_PATH = path.join(ROOT, "prisma", "schema.prisma");
export const MIGRATIONS_DIR = path.join(ROOT, "prisma", "migrations");

let wasmReady: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    // The package exports only its JS bindings; the .wasm file sits beside them.
    const bindingsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = path.join(path.dirname(bindingsPath), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return wasmReady;
}

export async function readSchema(): Promise<{ path: string; content: string }> {
  return { path: SCHEMA_PATH, content: await readFile(SCHEMA_PATH, "utf8") };
}

/** Reads prisma/migrations the way the Prisma CLI does. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const names = [];
  for (const name of entries.sort()) {
    if ((await stat(path.join(dir, name))).isDirectory()) names.push(name);
  }
  const lockPath = path.join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: await readFile(lockPath, "utf8").catch(() => null) },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      names.map(async (name) => {
        const content = await readFile(path.join(dir, name, "migration.sql"), "utf8").then(
          (text) => ({ tag: "ok" as const, value: text }),
          (err: Error) => ({ tag: "error" as const, value: err.message }),
        );
        return { path: name, migrationFile: { path: "migration.sql", content } };
      }),
    ),
  };
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** Rows of results that held `"char"` columns, with those columns' positions. */
const charColumns = new WeakMap<object, number[]>();

/**
 * The engine's catalogue queries read PostgreSQL's one-byte `"char"` columns (`contype`, ...) and
 * expect the driver to report them as Character, which @prisma/adapter-pg 7.10 cannot (it rejects
 * the type). The client below lets the adapter read them as text and remembers where they were;
 * `withCharColumns` then reports those columns as Character. The values are the same strings.
 */
class CatalogueClient extends pg.Client {
  override query(...args: unknown[]): never {
    const last = args.at(-1);
    // pg.Pool#query calls its client with a callback; direct callers get a promise.
    if (typeof last === "function") {
      const callback = last as (err: Error | null, res?: pg.QueryResult) => void;
      args[args.length - 1] = (err: Error | null, res?: pg.QueryResult) => callback(err, res && markCharColumns(res));
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    return (result instanceof Promise ? result.then(markCharColumns) : result) as never;
  }
}

function markCharColumns(res: pg.QueryResult): pg.QueryResult {
  const positions: number[] = [];
  (res.fields ?? []).forEach((field, i) => {
    if (field.dataTypeID !== PG_CHAR_OID) return;
    field.dataTypeID = PG_TEXT_OID;
    positions.push(i);
  });
  if (positions.length > 0 && Array.isArray(res.rows)) charColumns.set(res.rows, positions);
  return res;
}

function withCharColumns<T extends SqlQueryable>(target: T): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value: unknown = Reflect.get(obj, key, receiver);
      if (key === "queryRaw") {
        return async (query: SqlQuery) => {
          const result = await obj.queryRaw(query);
          for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
          return result;
        };
      }
      if (key === "startTransaction" && typeof value === "function") {
        return async (...args: unknown[]) => withCharColumns(await (value as (...a: unknown[]) => Promise<SqlQueryable>).apply(obj, args));
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
    },
  });
}

function adapterFactory(pool: pg.Pool): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaPg(pool);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => withCharColumns(await inner.connect()),
    connectToShadowDb: async () => withCharColumns(await inner.connectToShadowDb()),
  };
}

/** Runs `fn` with a schema engine on the database at `connectionString`, then closes its connections. */
export async function withEngine<T>(connectionString: string, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  await loadWasm();
  const schema = await readSchema();
  const pool = new pg.Pool({ connectionString, max: 2, Client: CatalogueClient });
  try {
    const factory = bindMigrationAwareSqlAdapterFactory(adapterFactory(pool));
    const engine = await bindings.SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, () => {}, factory);
    try {
      return await fn(engine);
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

/** Applies every migration not yet applied; returns the names applied now. */
export async function applyMigrations(connectionString: string): Promise<string[]> {
  const migrationsList = await readMigrations();
  return withEngine(connectionString, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return result.appliedMigrationNames;
  });
}

/**
 * The SQL that would take the database at `connectionString` to schema.prisma; empty when they agree.
 * Used to write new migrations and to prove that the migrations produce exactly the schema.
 */
export async function diffDatabaseToSchema(connectionString: string): Promise<string> {
  const schema = await readSchema();
  return withEngine(connectionString, async (engine) => {
    const result = await engine.diff({
      from: { tag: "schemaDatasource", files: [schema], configDir: ROOT },
      to: { tag: "schemaDatamodel", files: [schema] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    const sql = (result.stdout ?? "").trim();
    // When nothing differs the engine still prints a comment; callers test for "".
    return sql.startsWith("-- This is an empty migration") ? "" : sql;
  });
}
