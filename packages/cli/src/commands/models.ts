/** `cairn models promote | rollback`: move the `champion` alias (ADMIN tokens). */
import type { Command } from "commander";
import { common, connect, type CommonOptions } from "../cli/context.js";
import { positiveInt } from "../cli/parse.js";

export function registerModels(program: Command) {
  const models = program.command("models").description("registered models");
  common(models.command("promote <model> <version>"))
    .description("make VERSION the champion (refused while its gate or approvals block it)")
    .action(async (model: string, version: string, opts: CommonOptions) => {
      const { client, out, project } = await connect(opts);
      const move = await client.models.promote(await project(), model, positiveInt(version, "the version"));
      out.result(move, () => `${model}: champion is now v${move.toVersionNumber}`);
    });
  common(models.command("rollback <model>"))
    .description("move the champion back to the previous champion")
    .option("--reason <text>", "why (kept in the audit log and the alias history)")
    .action(async (model: string, opts: CommonOptions & { reason?: string }) => {
      const { client, out, project } = await connect(opts);
      const move = await client.models.rollback(await project(), model, opts.reason);
      out.result(move, () => `${model}: rolled back, champion is now v${move.toVersionNumber}`);
    });
}
