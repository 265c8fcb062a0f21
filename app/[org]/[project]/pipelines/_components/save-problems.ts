import { TRPCClientError } from "@trpc/client";
import { ZYamlProblem, type YamlProblem } from "@/server/pipelines/schemas";

/**
 * The located problems a refused save carries (the same checker as pipeline.validate, answered as
 * BAD_REQUEST), so the editor marks them beside their lines like the ones found while typing.
 */
export function saveProblems(err: unknown): YamlProblem[] {
  if (!(err instanceof TRPCClientError)) return [];
  // The errorFormatter carries a service error's details as data.details ({ problems } for a refused cairn.yaml).
  const data = err.data as { details?: { problems?: unknown } } | undefined;
  const listed = ZYamlProblem.array().safeParse(data?.details?.problems);
  return listed.success ? listed.data : [];
}
