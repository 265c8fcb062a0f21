"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Callout } from "@tremor/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useMemo, useState, type FormEvent } from "react";
import type { Trainer } from "@/server/training/schemas";
import { useOrg, useProject } from "../../../../_components/org-context";
import { PageHeader } from "../../../../_components/page-header";
import { FormError, Section } from "../../../../_components/states";
import { errorMessage, fieldErrors } from "../../../../_lib/errors";
import { useTRPC } from "../../../../_lib/trpc";
import { ColumnFields } from "./column-fields";
import { unusableReason } from "../../datasets/_components/usable";
import { DataPicker, type Version } from "./data-picker";
import { commandParamsOf, defaultDraft, paramErrors, paramsOf, type BuiltinTrainer, type ParamDraft } from "./params";
import { EvaluationFields, ResourceFields, type RunOptions } from "./run-options";
import { TrainerFields } from "./trainer-fields";
import { refreshAfterWrite } from "../../../../_lib/refresh";

const BUILTIN: BuiltinTrainer[] = ["gbdt", "ridge", "logistic"];

export function TrainForm({ initialDataset, initialVersion }: { initialDataset: string; initialVersion: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { org, can } = useOrg();
  const project = useProject();
  const base = `/${org.slug}/${project.slug}`;
  const [datasetId, setDatasetId] = useState(initialDataset);
  const [versionId, setVersionId] = useState(initialVersion);
  const [target, setTarget] = useState("");
  const [excluded, setExcluded] = useState<Set<string>>(new Set());
  const [trainer, setTrainer] = useState<Trainer>("gbdt");
  const [drafts, setDrafts] = useState<Record<BuiltinTrainer, ParamDraft>>(() => Object.fromEntries(BUILTIN.map((t) => [t, defaultDraft(t)])) as Record<BuiltinTrainer, ParamDraft>);
  const [commandId, setCommandId] = useState("");
  const [commandParams, setCommandParams] = useState("");
  const [options, setOptions] = useState<RunOptions>({ resource: "cpu", experiment: "Training", name: "", evaluate: true, sliceColumn: "", sensitiveColumn: "" });
  const [localError, setLocalError] = useState<string | null>(null);

  const versions = useQuery(trpc.dataset.versions.queryOptions({ projectId: project.id, datasetId }, { enabled: datasetId !== "" }));
  const version = versions.data?.find((v) => v.id === versionId && unusableReason(v) === null);
  const detail = useQuery(trpc.dataset.version.queryOptions({ projectId: project.id, versionId }, { enabled: version !== undefined }));
  const commands = useQuery(trpc.training.commands.queryOptions({ projectId: project.id }));
  const profiles = useMemo(() => {
    // The profile column holds the profiler's output as written by the profile job.
    const profile = detail.data?.profile;
    return new Map((profile?.columns ?? []).map((c) => [c.name, c]));
  }, [detail.data]);

  const start = useMutation(
    trpc.training.start.mutationOptions({
      onSuccess: async (run) => {
        await refreshAfterWrite(queryClient, trpc.run.list.queryKey());
        router.push(`${base}/runs/${run.id}`);
      },
    }),
  );
  const serverFields = fieldErrors(start.error);
  const perParam = trainer === "command" ? {} : paramErrors(start.error ? errorMessage(start.error) : null);
  const columns = version?.columns ?? [];
  const features = columns.filter((c) => c !== target && !excluded.has(c));

  const pickVersion = useCallback(
    (v: Version) => {
      setVersionId(v.id);
      // Keep the choices that still name columns of the new version.
      setTarget((t) => (v.columns.includes(t) ? t : ""));
      setExcluded((prev) => new Set([...prev].filter((c) => v.columns.includes(c))));
    },
    [],
  );
  const pickDataset = useCallback((id: string) => {
    setDatasetId(id);
    setVersionId("");
  }, []);

  // Identifiers and constants start unticked, once per version, with the reason beside them.
  const advice = useMemo(() => new Map((detail.data?.featureAdvice ?? []).map((a) => [a.column, a])), [detail.data]);
  const [advisedFor, setAdvisedFor] = useState<string | null>(null);
  if (detail.data && advisedFor !== detail.data.id) {
    const advised = detail.data.featureAdvice.map((a) => a.column);
    setAdvisedFor(detail.data.id);
    setExcluded((prev) => new Set([...prev, ...advised]));
  }
  const identifiers = new Set([...advice.values()].filter((a) => a.reason === "identifier").map((a) => a.column));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setLocalError(null);
    if (!version) return setLocalError("Pick a dataset version that is ready for training.");
    if (!target) return setLocalError("Pick the target column.");
    if (features.length === 0) return setLocalError("Pick at least one feature.");
    let params: Record<string, unknown>;
    if (trainer === "command") {
      if (!commandId) return setLocalError("Pick a training command.");
      const parsed = commandParamsOf(commandParams);
      if ("error" in parsed) return setLocalError(parsed.error);
      params = parsed.params;
    } else {
      params = paramsOf(trainer, drafts[trainer]);
    }
    start.mutate({
      projectId: project.id,
      datasetVersionId: version.id,
      target,
      exclude: columns.filter((c) => c !== target && excluded.has(c)),
      trainer,
      params,
      commandId: trainer === "command" ? commandId : undefined,
      resource: options.resource,
      experiment: options.experiment,
      name: options.name.trim() || undefined,
      evaluate: options.evaluate,
      sliceColumn: options.evaluate && options.sliceColumn ? options.sliceColumn : undefined,
      sensitiveColumn: options.evaluate && options.sensitiveColumn ? options.sensitiveColumn : undefined,
    });
  };

  const header = (
    <PageHeader
      title="Train a model"
      description="Queue a training job on a dataset version. A worker trains it, stores model.onnx and, if asked, evaluates it on the test split."
      actions={
        <Link href={`${base}/runs`} className="text-sm text-gray-600 hover:text-gray-900 hover:underline">
          Back to runs
        </Link>
      }
    />
  );
  if (!can("MEMBER")) {
    return (
      <div>
        {header}
        <Callout title="Read-only" color="slate">
          Your role ({org.role.toLowerCase()}) can look at runs; members and above can start training.
        </Callout>
      </div>
    );
  }

  const busy = start.isPending;
  return (
    <form onSubmit={submit} className="space-y-6" aria-label="Train a model">
      {header}
      <Section title="Data" description="Only versions that are profiled and pass their data contract (or have none) can be trained on.">
        <DataPicker
          projectId={project.id}
          datasetsHref={`${base}/datasets`}
          datasetId={datasetId}
          versionId={versionId}
          disabled={busy}
          onDataset={pickDataset}
          onVersion={pickVersion}
        />
      </Section>
      {version ? (
        <Section title="Target and features" description={`Columns of v${version.number}; splits come from the dataset's split assignment.`}>
          <ColumnFields
            columns={columns}
            profiles={profiles}
            target={target}
            excluded={excluded}
            advice={advice}
            disabled={busy}
            error={serverFields.target}
            onTarget={(c) => {
              setTarget(c);
              setExcluded((prev) => new Set([...prev].filter((x) => x !== c)));
            }}
            onExcluded={setExcluded}
          />
        </Section>
      ) : null}
      <Section title="Trainer" description="Defaults are filled in; the server checks every value and says which one is out of range.">
        <TrainerFields
          trainer={trainer}
          draft={trainer === "command" ? {} : drafts[trainer]}
          errors={perParam}
          commands={commands.data}
          commandId={commandId}
          commandParams={commandParams}
          settingsHref={`${base}/settings`}
          disabled={busy}
          onTrainer={(t) => {
            setTrainer(t);
            start.reset();
          }}
          onDraft={(d) => {
            if (trainer === "command") return;
            setDrafts({ ...drafts, [trainer]: d });
            // The server's message is about the values sent; it goes once they change.
            start.reset();
          }}
          onCommand={setCommandId}
          onCommandParams={setCommandParams}
        />
      </Section>
      <Section title="Run">
        <ResourceFields value={options} disabled={busy} errors={serverFields} onChange={setOptions} />
      </Section>
      <Section title="Evaluation">
        {/* Slicing or judging fairness by the target or by an identifier says nothing. */}
        <EvaluationFields value={options} columns={columns.filter((c) => c !== target && !identifiers.has(c))} disabled={busy} onChange={setOptions} />
      </Section>
      {localError ? (
        <p role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {localError}
        </p>
      ) : (
        <FormError error={start.error} />
      )}
      <div className="flex justify-end gap-2">
        <Button type="submit" loading={busy}>
          Start training
        </Button>
      </div>
    </form>
  );
}
