"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge, Button } from "@tremor/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ValidateYamlDto } from "@/server/pipelines/schemas";
import { useOrg, useProject } from "../../../../_components/org-context";
import { FormError, Section } from "../../../../_components/states";
import { refreshAfterWrite } from "../../../../_lib/refresh";
import { useTRPC } from "../../../../_lib/trpc";
import { pipelinePaths } from "./paths";
import { saveProblems } from "./save-problems";
import { useDebounced } from "./use-debounced";
import { formatUtc } from "./words";
import { ProblemList, YamlEditor } from "./yaml-editor";

/** Typing pauses this long before the YAML is checked on the server (the same checker as Save). */
const CHECK_AFTER_MS = 400;

/**
 * Writes or edits a pipeline's YAML: checked while typing with problems beside their lines, the
 * parsed steps and the cron trigger's next runs alongside; Save stores a new revision.
 */
export function PipelineEditor({ initialYaml, existing }: { initialYaml: string; existing?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { org, can } = useOrg();
  const project = useProject();
  const paths = pipelinePaths(`/${org.slug}/${project.slug}`);
  const [yaml, setYaml] = useState(initialYaml);
  const checked = useDebounced(yaml, CHECK_AFTER_MS);
  const validate = useQuery(trpc.pipeline.validate.queryOptions({ projectId: project.id, yaml: checked }, { enabled: checked.trim().length > 0, placeholderData: keepPreviousData }));
  const save = useMutation(
    trpc.pipeline.save.mutationOptions({
      onSuccess: async (saved) => {
        await refreshAfterWrite(queryClient, trpc.pipeline.pathKey());
        router.push(paths.pipeline(saved.name));
      },
    }),
  );
  const stale = checked !== yaml || validate.isFetching;
  const serverProblems = save.isError && save.variables?.yaml === yaml ? saveProblems(save.error) : [];
  const empty = yaml.trim().length === 0;
  const problems = serverProblems.length ? serverProblems : empty ? [] : (validate.data?.problems ?? []);
  const result = empty ? undefined : validate.data;

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_18rem]">
      <div className="space-y-3">
        <YamlEditor label="Pipeline YAML" value={yaml} onChange={setYaml} problems={problems} />
        <ProblemList problems={problems} from={serverProblems.length ? "save" : "check"} />
        {/* A refusal of other text than the one shown (since edited) is not repeated. */}
        {save.variables?.yaml === yaml && serverProblems.length === 0 ? <FormError error={save.error} /> : null}
        <div className="flex flex-wrap items-center gap-3">
          <Button onClick={() => save.mutate({ projectId: project.id, yaml, source: "ui" })} loading={save.isPending} disabled={!can("MEMBER") || empty}>
            Save pipeline
          </Button>
          <Link href={existing ? paths.pipeline(existing) : paths.base} className="text-sm text-gray-600 hover:text-gray-900 hover:underline">
            Cancel
          </Link>
          {empty ? <span className="text-xs text-gray-500">Write or paste a cairn.yaml.</span> : <CheckState stale={stale} result={result} error={validate.error} problems={problems.length} />}
          {!can("MEMBER") ? <span className="text-xs text-gray-500">Saving a pipeline needs the MEMBER role.</span> : null}
        </div>
      </div>
      <div className="space-y-4">
        <StepsPreview result={result} />
        <CronPreview result={result} />
      </div>
    </div>
  );
}

function CheckState({ stale, result, error, problems }: { stale: boolean; result: ValidateYamlDto | undefined; error: unknown; problems: number }) {
  if (error) return <span className="text-xs text-rose-600">The check failed: {error instanceof Error ? error.message : "unknown error"}</span>;
  if (!result || stale)
    return (
      <span className="text-xs text-gray-500" role="status" data-check="checking">
        Checking…
      </span>
    );
  return problems === 0 && result.ok ? (
    <span className="text-xs font-medium text-emerald-700" role="status" data-check="ok">
      ✓ Valid pipeline {result.name ? <code className="font-mono">{result.name}</code> : null}
    </span>
  ) : (
    <span className="text-xs font-medium text-rose-700" role="status" data-check="problems">
      {problems} problem{problems === 1 ? "" : "s"}
    </span>
  );
}

function StepsPreview({ result }: { result: ValidateYamlDto | undefined }) {
  const steps = result?.steps ?? [];
  return (
    <Section title="Steps" description="As the pipeline will run them: each after the steps it needs.">
      {steps.length === 0 ? (
        <p className="text-sm text-gray-500">{result ? "No steps parsed yet: fix the problems first." : "Checking…"}</p>
      ) : (
        <ol aria-label="Parsed steps" className="space-y-1.5">
          {steps.map((s, i) => (
            <li key={s.id} className="flex flex-wrap items-center gap-1.5 text-sm" data-parsed-step={s.id}>
              <span className="w-5 text-right text-xs text-gray-400">{i + 1}.</span>
              <code className="font-mono font-medium text-gray-900">{s.id}</code>
              <Badge size="xs" color="slate">
                {s.kind}
              </Badge>
              {s.needs.length ? <span className="text-xs text-gray-500">after {s.needs.join(", ")}</span> : <span className="text-xs text-gray-500">first</span>}
              {s.condition ? <span className="text-xs text-amber-700">if {s.condition}</span> : null}
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}

function CronPreview({ result }: { result: ValidateYamlDto | undefined }) {
  if (!result || result.nextCronRuns.length === 0) return null;
  return (
    <Section title="Next scheduled runs" description="The cron trigger fires at these times (UTC).">
      <ol aria-label="Next cron runs" className="space-y-1 text-sm text-gray-700">
        {result.nextCronRuns.slice(0, 5).map((t) => (
          <li key={t} className="font-mono text-xs">
            {formatUtc(t)}
          </li>
        ))}
      </ol>
    </Section>
  );
}
