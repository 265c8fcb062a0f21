/** The `cairn` program: commands, and the mapping of every failure onto the exit codes CI reads. */
import { Command, CommanderError } from "commander";
import { version } from "../../package.json";
import { registerAuth } from "../commands/auth.js";
import { registerDatasets } from "../commands/datasets.js";
import { registerDeployments } from "../commands/deployments.js";
import { registerModels } from "../commands/models.js";
import { registerPipeline } from "../commands/pipeline.js";
import { registerRuns } from "../commands/runs.js";
import { CairnApiError } from "../wire.js";
import { EXIT, FailedOutcome, UsageError } from "./errors.js";

export function program(): Command {
  const cairn = new Command("cairn")
    .description("Cairn from CI jobs and shell scripts. Configure with `cairn login` or CAIRN_URL, CAIRN_TOKEN and CAIRN_PROJECT.")
    .version(version)
    .showHelpAfterError()
    // Usage mistakes must exit 2, not commander's 1 (1 means "the pipeline or gate failed").
    .exitOverride();
  registerAuth(cairn);
  registerDatasets(cairn);
  registerRuns(cairn);
  registerPipeline(cairn);
  registerModels(cairn);
  registerDeployments(cairn);
  return cairn;
}

/** Runs the CLI and answers its exit code: 0 ok, 1 failed outcome, 2 usage or API error. */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version end here too; commander has already printed them (or the usage error).
      return err.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    if (err instanceof FailedOutcome) {
      process.stderr.write(`cairn: ${err.message}\n`);
      return EXIT.failed;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`cairn: ${err.message}\n`);
      return EXIT.error;
    }
    if (err instanceof CairnApiError) {
      process.stderr.write(`cairn: ${err.message} (${err.code}, HTTP ${err.status})\n`);
      return EXIT.error;
    }
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (err instanceof TypeError && cause) {
      process.stderr.write(`cairn: cannot reach the server: ${cause.code ?? cause.message ?? err.message}\n`);
      return EXIT.error;
    }
    process.stderr.write(`cairn: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.error;
  }
}
