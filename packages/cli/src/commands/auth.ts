/** `cairn login` and `cairn whoami`. */
import type { Command } from "commander";
import { createCairnClient } from "../client.js";
import { configPath, readConfig, settings, writeConfig } from "../cli/config.js";
import { common, type CommonOptions } from "../cli/context.js";
import { output } from "../cli/output.js";
import type { WhoAmI } from "../types.js";

/** "token ci (cairn_4p-M…), MEMBER in project cm…": the token's label already names it and its prefix. */
const describe = (me: WhoAmI) => (me.kind === "user" ? `${me.name} <${me.email}>` : `${me.label}, ${me.role} ${me.projectId ? `in project ${me.projectId}` : "in the whole organisation"}`);

export function registerAuth(program: Command) {
  common(program.command("login"), { project: false })
    .description("check a token against a Cairn server and store both in ~/.config/cairn/config.json (mode 0600)")
    .requiredOption("--url <url>", "the Cairn server, e.g. https://cairn.example.com")
    .requiredOption("--token <token>", "an API token (Settings → API tokens)")
    .option("-p, --project <project>", 'the default project: "org/project" or its id')
    .action(async (opts: CommonOptions & { url: string; token: string }) => {
      const out = output(Boolean(opts.json));
      const url = opts.url.replace(/\/+$/, "");
      // A token is stored only once the server accepted it.
      const client = createCairnClient({ url, token: opts.token });
      const me = await client.whoami();
      if (opts.project) await client.projectId(opts.project);
      const file = configPath();
      await writeConfig({ ...(await readConfig(file)), url, token: opts.token, project: opts.project }, file);
      out.result({ url, config: file, project: opts.project ?? null, whoami: me }, () => [`Logged in to ${url} as ${describe(me)}`, `Saved to ${file}`]);
    });

  common(program.command("whoami"), { project: false })
    .description("who the configured token is, on which server")
    .action(async (opts: CommonOptions) => {
      const out = output(Boolean(opts.json));
      const s = await settings();
      const me = await createCairnClient({ url: s.url, token: s.token }).whoami();
      out.result({ url: s.url, project: s.project ?? null, whoami: me }, () => [`${describe(me)} on ${s.url}`, ...(s.project ? [`project: ${s.project}`] : [])]);
    });
}
