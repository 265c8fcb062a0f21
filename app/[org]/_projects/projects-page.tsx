"use client";

import { useQuery } from "@tanstack/react-query";
import { Button, Card, Text } from "@tremor/react";
import Link from "next/link";
import { useState } from "react";
import { useOrg } from "../../_components/org-context";
import { PageHeader } from "../../_components/page-header";
import { DateTime } from "../../_components/relative-time";
import { EmptyState, ErrorState, LoadingRows } from "../../_components/states";
import { useTRPC } from "../../_lib/trpc";
import { NewProjectForm } from "./new-project-form";

export function ProjectsPage() {
  const trpc = useTRPC();
  const { org, can } = useOrg();
  const projects = useQuery(trpc.project.list.queryOptions({ orgId: org.id }));
  const [creating, setCreating] = useState(false);
  const canCreate = can("ADMIN");

  const newButton = canCreate ? <Button onClick={() => setCreating(true)}>New project</Button> : null;

  return (
    <div className="space-y-6">
      <PageHeader title="Projects" description={`Models, data and pipelines of ${org.name}, grouped by project.`} actions={creating ? null : newButton} />
      {creating ? <NewProjectForm onDone={() => setCreating(false)} /> : null}
      {projects.isPending ? (
        <LoadingRows rows={4} label="Loading projects" />
      ) : projects.error ? (
        <ErrorState error={projects.error} onRetry={() => void projects.refetch()} />
      ) : projects.data.length === 0 ? (
        <EmptyState title="No projects yet" action={creating ? null : newButton}>
          {canCreate
            ? "A project holds the datasets, training runs, models and deployments of one ML use case. Create the first one."
            : "An admin of this organisation can create the first project."}
        </EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Projects">
          {projects.data.map((p) => (
            <li key={p.id}>
              <Link href={`/${org.slug}/${p.slug}`} className="block h-full rounded-tremor-default focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500">
                <Card className="h-full transition hover:shadow-md" decoration="top" decorationColor="blue">
                  <p className="font-semibold text-gray-900">{p.name}</p>
                  <p className="font-mono text-xs text-gray-500">
                    {org.slug}/{p.slug}
                  </p>
                  <Text className="mt-2 line-clamp-2 min-h-[2.5rem]">{p.description || "No description"}</Text>
                  <p className="mt-3 text-xs text-gray-400">Created <DateTime date={p.createdAt} dateOnly /></p>
                </Card>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
