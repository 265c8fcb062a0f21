"use client";

import { Card, Text } from "@tremor/react";
import Link from "next/link";
import { useOrg, useProject } from "../../_components/org-context";
import { DateTime } from "../../_components/relative-time";
import { RecentActivity } from "./recent-activity";

const STAGES: { name: string; text: string; path?: string }[] = [
  { name: "Datasets", text: "Versioned, content-addressed training data with profiles and lineage.", path: "datasets" },
  { name: "Runs", text: "Training and evaluation jobs with parameters, metrics and artifacts.", path: "runs" },
  { name: "Models", text: "Registered ONNX models with gates, approvals and aliases.", path: "models" },
  { name: "Deployments", text: "Canary, blue/green and shadow rollouts with automatic rollback." },
  { name: "Monitors", text: "Drift and performance checks that alert and trigger retraining.", path: "monitors" },
  { name: "Pipelines", text: "Chains of steps from new data to a promoted model.", path: "pipelines" },
];

export function ProjectOverview() {
  const { org } = useOrg();
  const project = useProject();
  return (
    <div className="space-y-6">
      <RecentActivity />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <h2 className="text-tremor-title font-semibold text-gray-900">About</h2>
          <Text className="mt-2 whitespace-pre-line">{project.description || "No description yet. Admins can add one under Settings."}</Text>
        </Card>
        <Card>
          <dl className="space-y-3 text-sm">
            <div>
              <dt className="text-gray-500">Project id</dt>
              <dd className="font-mono text-gray-900">{project.id}</dd>
            </div>
            <div>
              <dt className="text-gray-500">Slug</dt>
              <dd className="font-mono text-gray-900">
                {org.slug}/{project.slug}
              </dd>
            </div>
            <div>
              <dt className="text-gray-500">Created</dt>
              <dd className="text-gray-900"><DateTime date={new Date(project.createdAt)} /></dd>
            </div>
          </dl>
        </Card>
      </div>
      <div>
        <h2 className="mb-3 text-sm font-medium uppercase tracking-wide text-gray-500">Lifecycle</h2>
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {STAGES.map((s) =>
            s.path ? (
              <li key={s.name}>
                <Link href={`/${org.slug}/${project.slug}/${s.path}`} className="block h-full rounded-lg border border-gray-200 bg-white p-4 transition hover:border-blue-300 hover:shadow-sm">
                  <p className="text-sm font-medium text-blue-700">{s.name} →</p>
                  <p className="mt-1 text-sm text-gray-500">{s.text}</p>
                </Link>
              </li>
            ) : (
              <li key={s.name} className="rounded-lg border border-dashed border-gray-300 bg-white/60 p-4">
                <p className="flex items-center gap-2 text-sm font-medium text-gray-700">
                  {s.name}
                  <span className="rounded bg-gray-100 px-1.5 py-0.5 text-[10px] font-medium uppercase tracking-wide text-gray-400">coming soon</span>
                </p>
                <p className="mt-1 text-sm text-gray-500">{s.text}</p>
              </li>
            ),
          )}
        </ul>
      </div>
    </div>
  );
}
