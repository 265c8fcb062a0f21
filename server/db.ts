import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { env } from "./env";
import { PrismaClient } from "./generated/prisma/client";

export type { Prisma } from "./generated/prisma/client";

interface DbGlobals {
  pool?: pg.Pool;
  prisma?: PrismaClient;
}

// One pool and one client per process; kept on globalThis so Next's dev reloads reuse them.
const globals = globalThis as typeof globalThis & { __cairnDb?: DbGlobals };
const state: DbGlobals = (globals.__cairnDb ??= {});

/** The process's pg pool, shared by Prisma and the hot paths that use SQL directly. */
export function pool(): pg.Pool {
  if (!state.pool) {
    const created = new pg.Pool({
      connectionString: env().DATABASE_URL,
      max: env().CAIRN_DB_POOL_MAX,
      // Fail fast instead of queueing forever when Postgres is unreachable (health turns 503).
      connectionTimeoutMillis: 5000,
    });
    // Attached once: pool() runs on every health check, and a listener per call would leak.
    created.on("error", (err) => console.error("[db] idle client error:", err.message));
    state.pool = created;
  }
  return state.pool;
}

/** The one Prisma client. */
export function db(): PrismaClient {
  state.prisma ??= new PrismaClient({
    adapter: new PrismaPg(pool()),
    // A transaction waits for a connection as long as the pool allows for opening one; Prisma's 2 s
    // default fails bursts (more requests than connections) that the pool would have served.
    // Registry writes take turns on a model's row lock (FOR UPDATE): a transaction queued behind two
    // others on a loaded host outlives Prisma's 5 s default while doing nothing wrong.
    transactionOptions: { maxWait: 5000, timeout: 20_000 },
  });
  return state.prisma;
}

/**
 * Runs a query whose cost a caller controls (e.g. a runs filter) on one pooled connection, inside a
 * transaction with `SET LOCAL statement_timeout`: a crafted query is cancelled (SQLSTATE 57014)
 * instead of holding a connection that everyone else needs.
 */
export async function withStatementTimeout<T>(fn: (client: pg.PoolClient) => Promise<T>, timeoutMs = env().CAIRN_QUERY_TIMEOUT_MS): Promise<T> {
  const client = await pool().connect();
  try {
    await client.query("BEGIN READ ONLY");
    await client.query(`SET LOCAL statement_timeout = ${Math.max(0, Math.floor(timeoutMs))}`);
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export async function closeDb(): Promise<void> {
  const { prisma, pool: p } = state;
  state.prisma = undefined;
  state.pool = undefined;
  await prisma?.$disconnect();
  await p?.end();
}
