/**
 * Runs a README section as written: its fenced blocks in order, every `sh` block in one bash session
 * (after an optional prelude of blocks from another section), every other block saved under the file
 * name its fence gives (```python file=track.py), in an empty folder outside the repository.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

export interface Block {
  lang: string;
  file: string | null;
  body: string;
}

/** Fenced blocks of one README section (from its `## ` heading to the next): ```lang [file=name]. */
export function sectionBlocks(readme: string, section: string): Block[] {
  const start = readme.indexOf(`\n${section}\n`);
  if (start < 0) throw new Error(`README has no "${section}" section`);
  const end = readme.indexOf("\n## ", start + section.length + 2);
  const text = readme.slice(start, end < 0 ? undefined : end);
  const blocks: Block[] = [];
  const fence = /^```(\w+)(?:[ \t]+file=(\S+))?[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const m of text.matchAll(fence)) blocks.push({ lang: m[1]!, file: m[2] ?? null, body: m[3]! });
  return blocks;
}

export async function readmeSection(section: string): Promise<Block[]> {
  return sectionBlocks(await readFile("README.md", "utf8"), section);
}

export interface SectionRun {
  /** What the blocks printed; each `sh` block is preceded by a line `::block N` (prelude blocks are not counted). */
  stdout: string;
  /** The folder the blocks ran in, with the files they wrote. */
  dir: string;
}

/**
 * Runs `blocks` in one `set -euo pipefail` bash session after `prelude` (sh blocks of another section
 * the README tells the reader to run first), then `epilogue` (the test's own commands, e.g. keeping a
 * variable in a file). A failing command fails the run with the tail of both outputs.
 */
export async function runSection(args: { blocks: Block[]; prelude?: Block[]; epilogue?: string; env: Record<string, string>; timeoutMs: number }): Promise<SectionRun> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cairn-readme-"));
  for (const b of args.blocks.filter((b) => b.lang !== "sh")) {
    if (!b.file) throw new Error(`A ${b.lang} block without file=NAME cannot be run`);
    await writeFile(path.join(dir, b.file), b.body);
  }
  const shell = args.blocks.filter((b) => b.lang === "sh");
  const script = [
    "set -euo pipefail",
    ...(args.prelude ?? []).filter((b) => b.lang === "sh").map((b) => b.body),
    ...shell.map((b, i) => `echo "::block ${i + 1}"\n${b.body}`),
    args.epilogue ?? "",
  ].join("\n");
  const result = await exec("bash", ["-c", script], {
    cwd: dir,
    timeout: args.timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
    env: {
      ...process.env,
      // The repository's Node 24 (it runs .mts files directly), as `npm test` puts it first on PATH.
      PATH: `${path.resolve("node_modules/.bin")}:${process.env.PATH}`,
      ...args.env,
    },
  }).catch((err: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`README commands failed: ${err.message}\n--- stdout ---\n${err.stdout?.slice(-6000)}\n--- stderr ---\n${err.stderr?.slice(-6000)}`);
  });
  return { stdout: result.stdout, dir };
}
