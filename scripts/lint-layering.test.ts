/** The layering rules of eslint.config.mjs catch what they promise to catch (and let through what they allow). */
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const eslint = new ESLint({ cwd: ROOT });

/** The import specifiers the layering rule refuses in `code` placed at `file`. */
async function refused(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === "@typescript-eslint/no-restricted-imports").map((m) => /'([^']+)'/.exec(m.message)?.[1] ?? m.message);
}

const use = (names: string[]) => `\nexport const used = [${names.join(", ")}];\n`;

describe("layering lint rules", () => {
  it("keeps I/O and the rest of the server out of server/ml", async () => {
    const code = [
      'import { readFileSync } from "node:fs";',
      'import { spawn } from "child_process";',
      'import { db } from "../db";',
      'import { enqueue } from "../../jobs/boss";',
      'import * as ort from "onnxruntime-node";',
      'import { PrismaPg } from "@prisma/adapter-pg";',
      'import { quantile } from "../stats";',
      'import { z } from "zod";',
    ].join("\n");
    expect(await refused("server/ml/metrics/probe.ts", code + use(["readFileSync", "spawn", "db", "enqueue", "ort", "PrismaPg", "quantile", "z"]))).toEqual([
      "node:fs",
      "child_process",
      "../db",
      "../../jobs/boss",
      "onnxruntime-node",
      "@prisma/adapter-pg",
    ]);
    // Tests check results against real runtimes and files.
    expect(await refused("server/ml/metrics/probe.test.ts", 'import * as ort from "onnxruntime-node";\nimport { readFileSync } from "node:fs";' + use(["ort", "readFileSync"]))).toEqual([]);
  });

  it("lets pages reach the server only through tRPC types, the server caller and schemas", async () => {
    const code = [
      'import { db } from "@/server/db";',
      'import { appRouter } from "@/server/api/root";',
      'import type { AppRouter } from "@/server/api/root";',
      'import { serverCaller } from "@/server/api/server-caller";',
      'import { ZSplitName } from "@/server/datasets/schemas";',
      'import { listOrgsForUser } from "../../server/tenancy/orgs";',
      'import type { DatasetProfile } from "@/server/ml/profile";',
      'import { PrismaClient } from "@prisma/client";',
    ].join("\n");
    const names = ["db", "appRouter", "serverCaller", "ZSplitName", "listOrgsForUser", "PrismaClient"];
    expect(await refused("app/[org]/probe.tsx", code + use(names) + "export type T = [AppRouter, DatasetProfile];\n")).toEqual([
      "@/server/db",
      "@/server/api/root",
      "../../server/tenancy/orgs",
      "@/server/ml/profile",
      "@prisma/client",
    ]);
    // Route handlers are the server's HTTP edge.
    expect(await refused("app/api/v1/probe/route.ts", 'import { db } from "@/server/db";' + use(["db"]))).toEqual([]);
  });
});
