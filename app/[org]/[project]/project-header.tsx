"use client";

import { usePathname } from "next/navigation";
import { Breadcrumbs } from "../../_components/breadcrumbs";
import { NavLinks, type NavItem } from "../../_components/nav-links";
import { useOrg, useProject } from "../../_components/org-context";

export function ProjectHeader() {
  const { org } = useOrg();
  const project = useProject();
  const base = `/${org.slug}/${project.slug}`;
  const pathname = usePathname();
  const items: NavItem[] = [
    { label: "Overview", href: base },
    { label: "Datasets", href: `${base}/datasets`, match: (p) => p === `${base}/datasets` || p.startsWith(`${base}/datasets/`) },
    { label: "Runs", href: `${base}/runs`, match: (p) => p === `${base}/runs` || p.startsWith(`${base}/runs/`) },
    { label: "Models", href: `${base}/models`, match: (p) => p === `${base}/models` || p.startsWith(`${base}/models/`) },
    { label: "Deployments", href: `${base}/deployments`, match: (p) => p === `${base}/deployments` || p.startsWith(`${base}/deployments/`) },
    { label: "Pipelines", href: `${base}/pipelines`, match: (p) => p === `${base}/pipelines` || p.startsWith(`${base}/pipelines/`) },
    { label: "Monitors", href: `${base}/monitors`, match: (p) => p === `${base}/monitors` || p.startsWith(`${base}/monitors/`) },
    { label: "Settings", href: `${base}/settings` },
  ];
  return (
    <div className="mb-8">
      <Breadcrumbs label="Location" items={[{ label: "Projects", href: `/${org.slug}` }, { label: project.slug, mono: true }]} current={pathname === base} />
      <h1 className="mt-1 text-2xl font-semibold tracking-tight text-gray-900">{project.name}</h1>
      <div className="mt-4 border-b border-gray-200">
        <NavLinks items={items} label="Project" orientation="horizontal" />
      </div>
    </div>
  );
}
