"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { Button, Card, Select, SelectItem } from "@tremor/react";
import { TextInput } from "../../../_components/inputs";
import { useState, type FormEvent } from "react";
import { Field } from "../../../_components/field";
import { useOrg } from "../../../_components/org-context";
import { FormError } from "../../../_components/states";
import { fieldErrors } from "../../../_lib/errors";
import { useTRPC, type RouterOutputs } from "../../../_lib/trpc";

type Created = RouterOutputs["token"]["create"];
const TOKEN_ROLES = ["ADMIN", "MEMBER", "VIEWER"] as const;
type TokenRole = (typeof TOKEN_ROLES)[number];

const isoDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

export function CreateTokenForm({ onCreated, onCancel }: { onCreated: (created: Created) => Promise<unknown>; onCancel: () => void }) {
  const trpc = useTRPC();
  const { org } = useOrg();
  const projects = useQuery(trpc.project.list.queryOptions({ orgId: org.id }));
  const [name, setName] = useState("");
  const [role, setRole] = useState<TokenRole>("MEMBER");
  const [projectId, setProjectId] = useState("");
  const [expires, setExpires] = useState("");
  const [use, setUse] = useState<"api" | "predict">("api");
  const [deployment, setDeployment] = useState("");
  const create = useMutation(trpc.token.create.mutationOptions({ onSuccess: onCreated }));
  const errors = fieldErrors(create.error);
  const [tomorrow] = useState(() => isoDay(new Date(Date.now() + 24 * 3600 * 1000)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      orgId: org.id,
      name,
      role,
      projectId: projectId || undefined,
      ...(use === "predict" ? { scope: "predict" as const, deployment: deployment.trim() || undefined } : {}),
      // The token stays valid through the whole chosen day in the user's time zone.
      expiresAt: expires ? new Date(`${expires}T23:59:59`) : undefined,
    });
  };

  return (
    <Card>
      <form onSubmit={submit} className="space-y-4" aria-label="New API token">
        <h2 className="text-tremor-title font-semibold text-gray-900">New API token</h2>
        <div className="grid gap-4 md:grid-cols-2">
          <Field label="Name" htmlFor="token-name" hint="Where it is used, e.g. “GitHub Actions (main)”." error={errors.name}>
            <TextInput id="token-name" value={name} onValueChange={setName} placeholder="GitHub Actions" autoFocus error={!!errors.name} />
          </Field>
          <Field label="Role" htmlFor="token-role" hint="Tokens never own an organisation." error={errors.role}>
            <Select id="token-role" value={role} onValueChange={(v) => setRole(v as TokenRole)} enableClear={false} data-testid="token-role">
              {TOKEN_ROLES.map((r) => (
                <SelectItem key={r} value={r}>
                  {r.charAt(0) + r.slice(1).toLowerCase()}
                </SelectItem>
              ))}
            </Select>
          </Field>
          <Field label="Project (optional)" htmlFor="token-project" hint="Limit the token to one project, or leave empty for all." error={errors.projectId}>
            <Select
              id="token-project"
              value={projectId}
              onValueChange={setProjectId}
              placeholder={projects.isPending ? "Loading projects…" : "All projects"}
              enableClear
              disabled={!projects.data?.length}
              data-testid="token-project"
            >
              {(projects.data ?? []).map((p) => (
                <SelectItem key={p.id} value={p.id}>
                  {p.name}
                </SelectItem>
              ))}
            </Select>
          </Field>
          <Field label="Use" htmlFor="token-use" hint="A serving token calls /v2/models/… only; tRPC and /api/v1 refuse it." error={errors.scope}>
            <Select id="token-use" value={use} onValueChange={(v) => setUse(v === "predict" ? "predict" : "api")} enableClear={false} data-testid="token-use">
              <SelectItem value="api">API and CI (tRPC, /api/v1)</SelectItem>
              <SelectItem value="predict">Serving only (predict)</SelectItem>
            </Select>
          </Field>
          {use === "predict" && (
            <Field label="Deployment (optional)" htmlFor="token-deployment" hint="Limit it to one deployment of the project, e.g. “eta”." error={errors.deployment}>
              <TextInput id="token-deployment" value={deployment} onValueChange={setDeployment} placeholder="All deployments of the project" error={!!errors.deployment} />
            </Field>
          )}
          <Field label="Expires (optional)" htmlFor="token-expires" hint="Valid through the end of that day; never expires when empty." error={errors.expiresAt}>
            <input
              id="token-expires"
              type="date"
              min={tomorrow}
              value={expires}
              onChange={(e) => setExpires(e.target.value)}
              className="w-full rounded-tremor-default border border-tremor-border bg-white px-3 py-2 text-tremor-default text-gray-700 shadow-tremor-input outline-none focus:border-tremor-brand-subtle focus:ring-2 focus:ring-tremor-brand-muted"
            />
          </Field>
        </div>
        <FormError error={create.error} />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" color="gray" onClick={onCancel} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create token
          </Button>
        </div>
      </form>
    </Card>
  );
}
