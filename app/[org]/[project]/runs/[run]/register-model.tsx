"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Dialog, DialogPanel, Select, SelectItem } from "@tremor/react";
import Link from "next/link";
import { useState } from "react";
import { Field } from "../../../../_components/field";
import { TextInput } from "../../../../_components/inputs";
import { useOrg, useProject } from "../../../../_components/org-context";
import { FormError } from "../../../../_components/states";
import { fieldErrors } from "../../../../_lib/errors";
import { refreshAfterWrite } from "../../../../_lib/refresh";
import { useTRPC } from "../../../../_lib/trpc";
import { modelPaths } from "../../models/_components/model-paths";
import type { RunDetail } from "../_components/types";

/** The artifact a run must have produced to become a model version. */
const MODEL_FILE = "model.onnx";
const NEW = "__new__";

/** "Register model" for a finished run with a model.onnx: into an existing model or a new one, then a link to the new version. */
export function RegisterModel({ run }: { run: RunDetail }) {
  const { can } = useOrg();
  const [open, setOpen] = useState(false);
  if (run.status !== "FINISHED" || !run.artifacts.some((a) => a.path === MODEL_FILE) || !can("MEMBER")) return null;
  return (
    <>
      <Button size="xs" variant="secondary" onClick={() => setOpen(true)}>
        Register model
      </Button>
      {open ? <RegisterDialog run={run} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function RegisterDialog({ run, onClose }: { run: RunDetail; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org } = useOrg();
  const project = useProject();
  const models = useQuery(trpc.model.list.queryOptions({ projectId: project.id }));
  const [picked, setPicked] = useState<string | null>(null);
  const [newName, setNewName] = useState("");
  const register = useMutation(trpc.model.register.mutationOptions({ onSuccess: () => refreshAfterWrite(queryClient, trpc.model.pathKey()) }));
  const existing = models.data ?? [];
  // Until the person picks, an existing model is offered first when there is one.
  const choice = picked ?? (existing[0]?.name ?? NEW);
  const name = choice === NEW ? newName.trim() : choice;
  const errors = fieldErrors(register.error);
  const done = register.data;

  return (
    <Dialog open onClose={() => !register.isPending && onClose()}>
      <DialogPanel className="max-w-md space-y-4" aria-label="Register model">
        <h3 className="text-lg font-semibold text-gray-900">Register {run.name} #{run.number} as a model version</h3>
        {done ? (
          <div className="space-y-3 text-sm text-gray-700" data-registered>
            <p>
              {done.created ? "Registered as" : "These bytes were already registered as"} <span className="font-medium">{done.version.model}</span> version {done.version.number}. Its gate
              report and approvals are on the version page.
            </p>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" color="gray" onClick={onClose}>
                Close
              </Button>
              <Link href={modelPaths(`/${org.slug}/${project.slug}`, done.version.model).version(done.version.number)} className="rounded-tremor-default bg-blue-600 px-3 py-2 text-sm font-medium text-white hover:bg-blue-700">
                Open version {done.version.number}
              </Link>
            </div>
          </div>
        ) : (
          <form
            aria-label="Register model"
            className="space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              register.mutate({ projectId: project.id, runId: run.id, modelName: name });
            }}
          >
            <Field label="Model" htmlFor="register-model">
              <Select id="register-model" aria-label="Model" value={choice} onValueChange={setPicked} enableClear={false} disabled={models.isPending}>
                {[
                  ...existing.map((m) => (
                    <SelectItem key={m.id} value={m.name}>
                      {`${m.name} (${m.task})`}
                    </SelectItem>
                  )),
                  <SelectItem key={NEW} value={NEW}>
                    New model…
                  </SelectItem>,
                ]}
              </Select>
            </Field>
            {choice === NEW ? (
              <Field label="New model name" htmlFor="register-name" hint="Lowercase letters, digits, '.', '_' and '-'" error={errors.modelName}>
                <TextInput id="register-name" value={newName} onValueChange={setNewName} error={!!errors.modelName} autoFocus />
              </Field>
            ) : null}
            <FormError error={register.error} />
            <div className="flex justify-end gap-2">
              <Button type="button" variant="secondary" color="gray" onClick={onClose} disabled={register.isPending}>
                Cancel
              </Button>
              <Button type="submit" loading={register.isPending} disabled={!name}>
                Register
              </Button>
            </div>
          </form>
        )}
      </DialogPanel>
    </Dialog>
  );
}
