/** What every API command starts from: settings, a client, the project and the output. */
import type { Command } from "commander";
import { createCairnClient, type CairnClient } from "../client.js";
import { settings } from "./config.js";
import { output, type Out } from "./output.js";

export interface CommonOptions {
  json?: boolean;
  project?: string;
}

/** Adds the options every API command takes. */
export function common(cmd: Command, opts: { project?: boolean } = { project: true }): Command {
  cmd.option("--json", "print the result as JSON (for scripts)");
  if (opts.project !== false) cmd.option("-p, --project <project>", 'the project: "org/project" or its id (default: CAIRN_PROJECT, the login\'s, or the token\'s own project)');
  return cmd;
}

export interface Context {
  client: CairnClient;
  out: Out;
  /** The project as the REST paths take it ("org/project" or an id). */
  project(): Promise<string>;
}

export async function connect(opts: CommonOptions): Promise<Context> {
  const s = await settings({ project: opts.project });
  const client = createCairnClient({ url: s.url, token: s.token });
  return { client, out: output(Boolean(opts.json)), project: async () => s.project ?? (await client.projectId()) };
}
