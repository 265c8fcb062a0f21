import { describe, expect, it } from "vitest";
import { callerAs, createTestProject, createUser } from "../testing/factories";
import { readLogs, RunLogWriter } from "./logs";

describe("run log writer", () => {
  it("joins chunks into whole lines, keeps streams apart and reads ::progress lines as progress", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const run = await callerAs(owner).run.create({ projectId: project.id });
    const progress: number[] = [];
    const log = new RunLogWriter(run.id, 1, (v) => progress.push(v));
    log.write("stdout", "hel");
    log.write("stderr", "sh: 1: nope: not ");
    log.write("stdout", "lo\r\nwor");
    log.write("stdout", "ld\n::progress 0.25\n::progress 7\n");
    log.write("stderr", "found\n");
    log.write("system", "attempt 1 on host");
    log.write("system", "built-in gbdt trainer");
    log.write("stdout", "no newline at the end");
    await log.end();
    const lines = await readLogs(project.id, run.id, undefined, 100);
    expect(lines.map((l) => [l.stream, l.line])).toEqual([
      ["stdout", "hello"],
      ["stdout", "world"],
      ["stderr", "sh: 1: nope: not found"],
      ["system", "attempt 1 on host"],
      ["system", "built-in gbdt trainer"],
      ["stdout", "no newline at the end"],
    ]);
    expect(progress).toEqual([0.25, 1]);
    expect(log.lastLines(2)).toBe("built-in gbdt trainer\nno newline at the end");
  });
});
