import { db } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { maxCommandTimeoutSeconds } from "./sandbox";
import { readStored } from "../lib/stored-json";
import { ZCommandEnv } from "./schemas";

const toDto = (c: { id: string; name: string; command: string; workdir: string; timeoutSeconds: number; env: unknown; updatedAt: Date }) => ({
  id: c.id,
  name: c.name,
  command: c.command,
  workdir: c.workdir,
  timeoutSeconds: c.timeoutSeconds,
  envKeys: Object.keys(storedEnv(c.env, c.id)).sort(),
  updatedAt: c.updatedAt,
});

/** A command's stored environment, checked on the way out of the database. */
const storedEnv = (env: unknown, id: string) => readStored(ZCommandEnv, env ?? {}, `environment of training command ${id}`);

export async function listCommands(projectId: string) {
  return (await db().trainingCommand.findMany({ where: { projectId }, orderBy: { name: "asc" } })).map(toDto);
}

/** Creates or replaces (by name) a project's training command. Runs arbitrary programs on workers, so ADMIN only. */
export async function saveCommand(args: { projectId: string; orgId: string; actor: Actor; name: string; command: string; workdir: string; timeoutSeconds: number; env: Record<string, string> }) {
  const cap = maxCommandTimeoutSeconds();
  if (args.timeoutSeconds > cap) throw new AppError("BAD_REQUEST", `The timeout may be at most ${cap} s on this installation (CAIRN_COMMAND_MAX_TIMEOUT_SECONDS)`);
  try {
    return await db().$transaction(async (tx) => {
      // Values are write-only, so the form sends a blank value for one it did not change.
      const before = await tx.trainingCommand.findUnique({ where: { projectId_name: { projectId: args.projectId, name: args.name } }, select: { id: true, env: true } });
      const previous = before ? storedEnv(before.env, before.id) : {};
      const env = Object.fromEntries(Object.entries(args.env).map(([k, v]) => [k, v === "" && k in previous ? previous[k]! : v]));
      const data = { command: args.command, workdir: args.workdir, timeoutSeconds: args.timeoutSeconds, env };
      const saved = await tx.trainingCommand.upsert({
        where: { projectId_name: { projectId: args.projectId, name: args.name } },
        create: { projectId: args.projectId, name: args.name, ...data },
        update: data,
      });
      await recordAudit(tx, {
        orgId: args.orgId,
        projectId: args.projectId,
        actor: args.actor,
        action: "command.save",
        target: { type: "command", id: saved.id, label: saved.name },
        after: { command: saved.command, workdir: saved.workdir, timeoutSeconds: saved.timeoutSeconds },
      });
      return toDto(saved);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "A command with that name was saved at the same moment; try again");
    throw err;
  }
}

export async function deleteCommand(args: { projectId: string; orgId: string; actor: Actor; commandId: string }) {
  return db().$transaction(async (tx) => {
    const c = await tx.trainingCommand.findFirst({ where: { id: args.commandId, projectId: args.projectId } });
    if (!c) throw notFound("Training command");
    await tx.trainingCommand.delete({ where: { id: c.id } });
    await recordAudit(tx, { orgId: args.orgId, projectId: args.projectId, actor: args.actor, action: "command.delete", target: { type: "command", id: c.id, label: c.name } });
    return { id: c.id };
  });
}
