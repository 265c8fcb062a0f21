"use client";

import { Button, Dialog, DialogPanel } from "@tremor/react";
import { useState, type ReactNode } from "react";
import { FormError } from "./states";

interface Props {
  label: string;
  title: string;
  children: ReactNode;
  confirmLabel?: string;
  onConfirm: () => Promise<unknown>;
  disabled?: boolean;
  size?: "xs" | "sm";
  variant?: "primary" | "secondary" | "light";
}

/** A destructive action behind a confirmation dialog; the dialog stays open to show a server error. */
export function ConfirmButton({ label, title, children, confirmLabel = label, onConfirm, disabled, size = "xs", variant = "secondary" }: Props) {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const confirm = async () => {
    setPending(true);
    setError(null);
    try {
      await onConfirm();
      setOpen(false);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };

  return (
    <>
      <Button size={size} variant={variant} color="rose" disabled={disabled} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Dialog open={open} onClose={() => !pending && setOpen(false)}>
        <DialogPanel className="max-w-md space-y-4" aria-label={title}>
          <h3 className="text-lg font-semibold text-gray-900">{title}</h3>
          <div className="text-sm text-gray-600">{children}</div>
          <FormError error={error} />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" color="gray" onClick={() => setOpen(false)} disabled={pending}>
              Cancel
            </Button>
            <Button color="rose" loading={pending} onClick={confirm}>
              {confirmLabel}
            </Button>
          </div>
        </DialogPanel>
      </Dialog>
    </>
  );
}
