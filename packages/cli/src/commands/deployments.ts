/** `cairn deployments status [name]`: what serves, its split and rollout progress. */
import type { Command } from "commander";
import { common, connect, type CommonOptions } from "../cli/context.js";
import { table } from "../cli/output.js";
import type { Deployment } from "../types.js";

function row(d: Deployment): string[] {
  const split = d.candidateVersion === null ? `v${d.stableVersion}` : `v${d.stableVersion} ${100 - d.candidatePercent}% · v${d.candidateVersion} ${d.candidatePercent}%`;
  const steps = d.rollout?.config.steps;
  const rollout = d.rollout && steps ? `step ${d.rollout.step + 1}/${steps.length}` : "";
  return [d.name, d.environment.name, `${d.modelName} ${split}`, d.strategy, d.status, rollout];
}

export function registerDeployments(program: Command) {
  const deployments = program.command("deployments").description("deployments and rollouts");
  common(deployments.command("status [name]"))
    .description("the project's deployments, or one deployment with its endpoint")
    .action(async (name: string | undefined, opts: CommonOptions) => {
      const { client, out, project } = await connect(opts);
      const ref = await project();
      if (name) {
        const d = await client.deployments.get(ref, name);
        out.result(d, () => [...table([row(d)], ""), `endpoint: ${d.endpoint}`]);
        return;
      }
      const list = await client.deployments.list(ref);
      out.result(list, () => (list.length ? table([["NAME", "ENV", "SERVING", "STRATEGY", "STATUS", "ROLLOUT"], ...list.map(row)], "") : "no deployments"));
    });
}
