"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge, Button, Callout, Tab, TabGroup, TabList, TabPanel, TabPanels } from "@tremor/react";
import { useMemo, useState } from "react";
import { Field } from "../../../../../_components/field";
import { TextInput } from "../../../../../_components/inputs";
import { useOrg, useProject } from "../../../../../_components/org-context";
import { DateTime } from "../../../../../_components/relative-time";
import { Section } from "../../../../../_components/states";
import { errorMessage } from "../../../../../_lib/errors";
import { refreshAfterWrite } from "../../../../../_lib/refresh";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";
import { CodeEditor } from "../../_components/code-editor";
import { lineOf } from "../../_components/lines";
import { useModel } from "../../_components/model-context";
import { parsePolicy, setIn, type Path } from "./policy-doc";
import { PolicyForm } from "./policy-form";

type Policy = RouterOutputs["gate"]["policy"];

/**
 * The gate policy as a form and as YAML over one text: the form edits the YAML document, the YAML tab
 * is the text itself. Saving sends the YAML; the server's schema answers with the offending line,
 * which the YAML tab marks.
 */
export function PolicyEditor({ policy }: { policy: Policy }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useOrg();
  const project = useProject();
  const model = useModel();
  const canWrite = can("ADMIN");
  const [text, setText] = useState(policy.yaml);
  const [comment, setComment] = useState("");
  const [tab, setTab] = useState(0);
  const parsed = useMemo(() => parsePolicy(text), [text]);
  const save = useMutation(
    trpc.gate.savePolicy.mutationOptions({
      onSuccess: async () => {
        setComment("");
        await Promise.all([refreshAfterWrite(queryClient, trpc.gate.pathKey()), refreshAfterWrite(queryClient, trpc.promotion.pathKey())]);
      },
    }),
  );
  const serverError = save.error ? errorMessage(save.error) : null;
  const errorLine = lineOf(parsed.error ?? serverError);
  const dirty = text !== policy.yaml;
  const write = (path: Path, value: unknown) => {
    setText((t) => setIn(t, path, value));
    save.reset();
  };

  return (
    <Section
      title="Gate policy"
      description={
        <>
          What a version must show before it can become champion. Every save is a new revision and re-runs the gate of the model&apos;s latest version and its
          challenger; re-run others from their version page.
          <span className="mt-2 flex items-center gap-2" data-policy-revision={policy.revision ?? "none"}>
            {policy.revision === null ? (
              <Badge color="amber">default, not saved yet</Badge>
            ) : (
              <>
                <Badge color="indigo">revision {policy.revision}</Badge>
                <span className="text-xs text-gray-500">
                  saved by {policy.author?.name ?? "—"} {policy.createdAt ? <DateTime date={policy.createdAt} /> : null}
                  {policy.comment ? ` · “${policy.comment}”` : ""}
                </span>
              </>
            )}
          </span>
        </>
      }
    >
      {policy.revision === null ? (
        <Callout title="No policy saved" color="amber">
          This is the default policy for a {model.task} model. Until a policy is saved, versions are not gated and none can be promoted.
        </Callout>
      ) : null}
      {!canWrite ? (
        <Callout title="Read-only" color="slate">
          Admins and owners change gate policies.
        </Callout>
      ) : null}
      <TabGroup index={tab} onIndexChange={setTab}>
        <TabList variant="line">
          <Tab>Form</Tab>
          <Tab>YAML</Tab>
        </TabList>
        <TabPanels>
          <TabPanel className="pt-4">
            {parsed.doc ? (
              // The form reads the document anew after a YAML edit; remounting resets its number drafts.
              <PolicyForm key={tab} doc={parsed.doc} task={model.task} write={write} disabled={!canWrite} />
            ) : (
              <p role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700">
                The YAML does not parse ({parsed.error}); fix it in the YAML tab.
              </p>
            )}
          </TabPanel>
          <TabPanel className="space-y-2 pt-4">
            <CodeEditor
              id="policy-yaml"
              label="Policy YAML"
              value={text}
              readOnly={!canWrite}
              errorLine={errorLine}
              onChange={(t) => {
                setText(t);
                save.reset();
              }}
            />
            {parsed.error ? (
              <p role="alert" className="text-sm text-rose-700" data-yaml-error>
                {parsed.error}
              </p>
            ) : null}
          </TabPanel>
        </TabPanels>
      </TabGroup>
      {serverError ? (
        <p role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 font-mono text-xs text-rose-700" data-policy-error>
          {serverError}
          {tab === 0 && errorLine ? <span className="ml-2 font-sans">(the YAML tab marks line {errorLine})</span> : null}
        </p>
      ) : null}
      {canWrite ? (
        <form
          aria-label="Save policy"
          className="flex flex-wrap items-end gap-3 border-t border-gray-100 pt-4"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ projectId: project.id, modelId: model.id, yaml: text, comment });
          }}
        >
          <div className="min-w-[20rem] flex-1">
            <Field label="Comment (what changed and why)" htmlFor="policy-comment">
              <TextInput id="policy-comment" value={comment} onValueChange={setComment} />
            </Field>
          </div>
          <Button type="submit" loading={save.isPending} disabled={(!dirty && policy.revision !== null) || !!parsed.error}>
            {policy.revision === null ? "Save as revision 1" : "Save new revision"}
          </Button>
          {dirty ? (
            <Button
              type="button"
              variant="light"
              onClick={() => {
                setText(policy.yaml);
                save.reset();
              }}
            >
              Discard changes
            </Button>
          ) : null}
        </form>
      ) : null}
    </Section>
  );
}
