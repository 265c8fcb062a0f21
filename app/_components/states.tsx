"use client";

import { Button, Callout, Card, Text } from "@tremor/react";
import type { ReactNode } from "react";
import { errorMessage, fieldErrors } from "../_lib/errors";

/** Grey placeholder rows while data loads. */
export function LoadingRows({ rows = 3, label = "Loading" }: { rows?: number; label?: string }) {
  return (
    <div role="status" aria-label={label} className="space-y-3 py-2">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="h-8 animate-pulse rounded-md bg-gray-100" />
      ))}
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center justify-center rounded-lg border border-dashed border-gray-300 px-6 py-10 text-center">
      <p className="text-sm font-medium text-gray-900">{title}</p>
      {children ? <Text className="mt-1 max-w-md">{children}</Text> : null}
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}

/** Shows the server's own message, with a retry where the caller can offer one. */
export function ErrorState({ error, onRetry, title = "Could not load this" }: { error: unknown; onRetry?: () => void; title?: string }) {
  return (
    <Callout title={title} color="rose" role="alert">
      <span className="block">{errorMessage(error)}</span>
      {onRetry ? (
        <Button size="xs" variant="secondary" color="rose" className="mt-3" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </Callout>
  );
}

/** An inline error below a form or action; validation errors already shown beside their fields are not repeated. */
export function FormError({ error }: { error: unknown }) {
  if (!error || Object.values(fieldErrors(error)).some(Boolean)) return null;
  return (
    <p role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700">
      {errorMessage(error)}
    </p>
  );
}

export function Section({ title, description, actions, children }: { title: string; description?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <Card className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-tremor-title font-semibold text-gray-900">{title}</h2>
          {description ? <Text className="mt-0.5">{description}</Text> : null}
        </div>
        {actions}
      </div>
      {children}
    </Card>
  );
}
