"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Dialog, DialogPanel } from "@tremor/react";
import { useState } from "react";
import { ConfirmButton } from "../../../../../_components/confirm-button";
import { Field } from "../../../../../_components/field";
import { Textarea } from "../../../../../_components/inputs";
import { useOrg, useProject } from "../../../../../_components/org-context";
import { FormError } from "../../../../../_components/states";
import { refreshAfterWrite } from "../../../../../_lib/refresh";
import { useTRPC } from "../../../../../_lib/trpc";
import { useModel } from "../../_components/model-context";
import type { PromotionStatus, VersionRow } from "./types";

/** After an alias moves, everything about the model (aliases, history, statuses) is read again. */
function useRefreshModel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([refreshAfterWrite(queryClient, trpc.model.pathKey()), refreshAfterWrite(queryClient, trpc.promotion.pathKey())]);
  };
}

/**
 * Promote a version to champion. The server decides (gate passed, approvals complete, champion
 * unchanged since the gate ran); the dialog lists what still blocks, and offers an OWNER the override,
 * which needs a reason and is flagged in the history.
 */
export function PromoteButton({ version, status }: { version: VersionRow; status: PromotionStatus }) {
  const { can } = useOrg();
  const [open, setOpen] = useState(false);
  if (!can("ADMIN")) return null;
  return (
    <>
      <Button size="xs" variant={status.canPromote ? "primary" : "secondary"} onClick={() => setOpen(true)}>
        Promote
      </Button>
      {open ? <PromoteDialog version={version} status={status} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function PromoteDialog({ version, status, onClose }: { version: VersionRow; status: PromotionStatus; onClose: () => void }) {
  const trpc = useTRPC();
  const { can } = useOrg();
  const project = useProject();
  const model = useModel();
  const refresh = useRefreshModel();
  const [reason, setReason] = useState("");
  const ref = { projectId: project.id, modelId: model.id, versionId: version.id };
  const promote = useMutation(trpc.promotion.promote.mutationOptions({ onSuccess: refresh }));
  const override = useMutation(trpc.promotion.override.mutationOptions({ onSuccess: refresh }));
  const pending = promote.isPending || override.isPending;
  const close = () => !pending && onClose();
  const owner = can("OWNER");

  return (
    <Dialog open onClose={close}>
      <DialogPanel className="max-w-lg space-y-4" aria-label={`Promote v${version.number}`}>
        <h3 className="text-lg font-semibold text-gray-900">Make v{version.number} the champion?</h3>
        {status.canPromote ? (
          <p className="text-sm text-gray-600">Its gate passed and its approvals are complete. The champion alias moves in one step; rollback moves it back.</p>
        ) : (
          <div className="space-y-2 text-sm">
            <p className="text-gray-600">Promotion is blocked:</p>
            <ul className="list-inside list-disc space-y-0.5 text-rose-700" aria-label="Blockers">
              {status.blockers.map((b) => (
                <li key={b}>{b}</li>
              ))}
            </ul>
          </div>
        )}
        {!status.canPromote && owner ? (
          <div className="space-y-2 rounded-md border border-amber-200 bg-amber-50 p-3">
            <p className="text-sm text-amber-800">As an owner you may override the gate. The override and its reason are flagged in the model&apos;s history and the audit log.</p>
            <Field label="Reason for the override" htmlFor="override-reason">
              <Textarea id="override-reason" value={reason} onValueChange={setReason} rows={3} />
            </Field>
          </div>
        ) : null}
        <FormError error={promote.error ?? override.error} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" color="gray" onClick={close} disabled={pending}>
            Cancel
          </Button>
          {status.canPromote ? (
            <Button loading={promote.isPending} onClick={() => promote.mutate(ref, { onSuccess: onClose })}>
              Promote to champion
            </Button>
          ) : owner ? (
            <Button color="amber" loading={override.isPending} disabled={!reason.trim()} onClick={() => override.mutate({ ...ref, reason }, { onSuccess: onClose })}>
              Override and promote
            </Button>
          ) : null}
        </div>
      </DialogPanel>
    </Dialog>
  );
}

/** Moves the champion back to the one before it, in one click behind a confirmation. */
export function RollbackButton({ modelId }: { modelId: string }) {
  const trpc = useTRPC();
  const { can } = useOrg();
  const project = useProject();
  const refresh = useRefreshModel();
  const rollback = useMutation(trpc.promotion.rollback.mutationOptions({ onSuccess: refresh }));
  if (!can("ADMIN")) return null;
  return (
    <ConfirmButton label="Roll back" title="Roll back the champion?" confirmLabel="Roll back" onConfirm={() => rollback.mutateAsync({ projectId: project.id, modelId })}>
      The champion alias moves back to the version that was champion before the current one. The move is recorded in the history.
    </ConfirmButton>
  );
}
