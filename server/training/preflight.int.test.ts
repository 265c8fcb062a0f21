/**
 * The one set of training pre-checks (trainingProblems): each problem with its field, code and message,
 * other projects' datasets and commands counting as missing, and training.start refusing with the first.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { DELIVERY_COLUMNS, deliveriesCsv } from "../ml/synthetic/deliveries";
import { projectWithVersion } from "../testing/datasets";
import { trainingProblems, type TrainingCheck } from "./preflight";

type World = Awaited<ReturnType<typeof projectWithVersion>>;
let s: World;
let other: World;
let commandId: string;
let otherCommandId: string;
const COLUMNS = DELIVERY_COLUMNS.join(", ");

beforeAll(async () => {
  s = await projectWithVersion(deliveriesCsv(120));
  other = await projectWithVersion("a,b\n1,2\n3,4\n", "their-data");
  commandId = (await s.caller.training.saveCommand({ projectId: s.project.id, name: "fit", command: "echo fit" })).id;
  otherCommandId = (await other.caller.training.saveCommand({ projectId: other.project.id, name: "theirs", command: "echo fit" })).id;
  await s.caller.dataset.create({ projectId: s.project.id, name: "Empty", slug: "empty" });
}, 120_000);

const base = (): TrainingCheck => ({ data: { slug: "deliveries" }, target: "minutes", exclude: ["delivery_id"], trainer: "gbdt", params: { rounds: 5 }, command: { by: "name", ref: undefined } });
const problems = (patch: Partial<TrainingCheck>) => trainingProblems(db(), s.project.id, { ...base(), ...patch });

describe("trainingProblems", () => {
  it("finds none in a spec that can be trained, by slug or by version id, built-in or command", async () => {
    expect(await problems({})).toEqual([]);
    expect(await problems({ data: { versionId: s.version.id }, features: ["distance_km", "hour"] })).toEqual([]);
    expect(await problems({ trainer: "command", params: { anything: 1 }, command: { by: "name", ref: "fit" } })).toEqual([]);
    expect(await problems({ trainer: "command", command: { by: "id", ref: commandId } })).toEqual([]);
    expect(await problems({ trainer: "logistic", params: {}, deployedModel: { name: "late", task: "binary" } })).toEqual([]);
  });

  it("names the dataset field when there is no data to check, another project's dataset included", async () => {
    expect(await problems({ data: { slug: "nope" } })).toEqual([{ field: "dataset", code: "NOT_FOUND", message: 'no dataset "nope" in this project' }]);
    expect(await problems({ data: { slug: "their-data" }, target: "b" })).toEqual([{ field: "dataset", code: "NOT_FOUND", message: 'no dataset "their-data" in this project' }]);
    expect(await problems({ data: { slug: "empty" } })).toEqual([{ field: "dataset", code: "PRECONDITION_FAILED", message: 'dataset "empty" has no versions yet' }]);
    expect(await problems({ data: { versionId: other.version.id }, target: "b" })).toEqual([{ field: "dataset", code: "NOT_FOUND", message: "dataset version not found" }]);
  });

  it("names the target, features and exclude fields with the dataset, the unknown columns and the columns there are", async () => {
    expect(await problems({ target: "eta" })).toEqual([{ field: "target", code: "BAD_REQUEST", message: `dataset "deliveries" has no column "eta" (columns: ${COLUMNS})` }]);
    expect(await problems({ data: { versionId: s.version.id }, features: ["hour", "shoe_size", "colour"] })).toEqual([
      { field: "features", code: "BAD_REQUEST", message: `dataset "deliveries" has no columns "shoe_size", "colour" (columns: ${COLUMNS})` },
    ]);
    expect(await problems({ exclude: ["delivery_id", "nope"] })).toEqual([{ field: "exclude", code: "BAD_REQUEST", message: `dataset "deliveries" has no column "nope" (columns: ${COLUMNS})` }]);
  });

  it("names the command field for a missing or unknown command, another project's by name or by id included", async () => {
    const command = (ref: Partial<TrainingCheck["command"]>) => problems({ trainer: "command", params: {}, command: { by: "name", ref: undefined, ...ref } });
    expect(await command({})).toEqual([{ field: "command", code: "BAD_REQUEST", message: "the command trainer needs the name of a training command" }]);
    expect(await command({ by: "id" })).toEqual([{ field: "command", code: "BAD_REQUEST", message: "the command trainer needs the id (commandId) of a training command" }]);
    expect(await command({ ref: "theirs" })).toEqual([{ field: "command", code: "NOT_FOUND", message: 'no training command "theirs" in this project' }]);
    expect(await command({ by: "id", ref: otherCommandId })).toEqual([{ field: "command", code: "NOT_FOUND", message: `no training command "${otherCommandId}" in this project` }]);
    // A command's name is not its id, nor the other way round.
    expect(await command({ by: "id", ref: "fit" })).toMatchObject([{ field: "command", code: "NOT_FOUND" }]);
    expect(await command({ by: "name", ref: commandId })).toMatchObject([{ field: "command", code: "NOT_FOUND" }]);
  });

  it("names the params field for params the trainer refuses, and the trainer field for a trainer of another task", async () => {
    expect(await problems({ params: { rounds: -1, depth: 3 } })).toEqual([{ field: "params", code: "BAD_REQUEST", message: expect.stringMatching(/^Invalid gbdt params: rounds: .*; params: Unrecognized key: "depth"$/) }]);
    const eta = { name: "eta", task: "regression" };
    expect(await problems({ trainer: "logistic", params: {}, deployedModel: eta })).toEqual([{ field: "trainer", code: "BAD_REQUEST", message: 'logistic trains a binary model, but the deployment\'s model "eta" is regression' }]);
    expect(await problems({ params: { task: "binary" }, deployedModel: eta })).toEqual([{ field: "trainer", code: "BAD_REQUEST", message: 'gbdt (task binary) trains a binary model, but the deployment\'s model "eta" is regression' }]);
    // Without a model to compare with, any task goes; a command's task is unknown until it runs.
    expect(await problems({ trainer: "logistic", params: {} })).toEqual([]);
    expect(await problems({ trainer: "command", params: {}, command: { by: "name", ref: "fit" }, deployedModel: { name: "late", task: "binary" } })).toEqual([]);
    // Params the trainer refuses say nothing about its task: the params problem alone.
    expect(await problems({ params: { task: "multiclass" }, deployedModel: { name: "late", task: "binary" } })).toMatchObject([{ field: "params" }]);
  });

  it("reports every independent problem, the most basic first", async () => {
    const found = await problems({ target: "eta", exclude: ["nope"], trainer: "command", params: {}, command: { by: "name", ref: "nope" } });
    expect(found.map((p) => p.field)).toEqual(["target", "exclude", "command"]);
    expect((await problems({ data: { slug: "nope" }, params: { rounds: 0 } })).map((p) => p.field)).toEqual(["dataset", "params"]);
  });
});

describe("training.start", () => {
  const start = (patch: Record<string, unknown>) => s.caller.training.start({ projectId: s.project.id, datasetVersionId: s.version.id, target: "minutes", trainer: "ridge", evaluate: false, ...patch });

  it("refuses with the first problem as a sentence and its code, and writes no run", async () => {
    await expect(start({ target: "eta", exclude: ["nope"] })).rejects.toMatchObject({ code: "BAD_REQUEST", message: `Dataset "deliveries" has no column "eta" (columns: ${COLUMNS})` });
    await expect(start({ features: ["hour", "shoe_size"] })).rejects.toMatchObject({ code: "BAD_REQUEST", message: `Dataset "deliveries" has no column "shoe_size" (columns: ${COLUMNS})` });
    await expect(start({ trainer: "command" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "The command trainer needs the id (commandId) of a training command" });
    await expect(start({ trainer: "command", commandId: otherCommandId })).rejects.toMatchObject({ code: "NOT_FOUND", message: `No training command "${otherCommandId}" in this project` });
    await expect(start({ params: { alpha: -1 } })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^Invalid ridge params: alpha: /) });
    expect(await db().run.count({ where: { projectId: s.project.id } })).toBe(0);
  });

  it("refuses an exclude column the version does not have (a typo would otherwise train on the column it meant to leave out)", async () => {
    await expect(start({ exclude: ["delivery-id"] })).rejects.toMatchObject({ code: "BAD_REQUEST", message: `Dataset "deliveries" has no column "delivery-id" (columns: ${COLUMNS})` });
    expect(await db().run.count({ where: { projectId: s.project.id } })).toBe(0);
    const run = await start({ exclude: ["delivery_id"] });
    expect(run.status).toBe("QUEUED");
  });
});
