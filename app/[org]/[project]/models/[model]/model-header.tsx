"use client";

import { Breadcrumbs } from "../../../../_components/breadcrumbs";
import { NavLinks, type NavItem } from "../../../../_components/nav-links";
import { useOrg, useProject } from "../../../../_components/org-context";
import { useModel } from "../_components/model-context";

export function ModelHeader() {
  const { org } = useOrg();
  const project = useProject();
  const model = useModel();
  const { paths } = model;
  const items: NavItem[] = [
    { label: "Versions", href: paths.base, match: (p) => p === paths.base || p.startsWith(`${paths.base}/versions/`) || p.startsWith(`${paths.base}/compare`) },
    { label: "Gate policy", href: paths.policy },
    { label: "Settings", href: paths.settings },
  ];
  return (
    <div className="mb-6">
      <Breadcrumbs items={[{ label: "Models", href: `/${org.slug}/${project.slug}/models` }, { label: model.name, mono: true }]} />
      <h2 className="mt-1 flex items-center gap-2 text-xl font-semibold tracking-tight text-gray-900">
        {model.name}
        <span className="rounded bg-gray-100 px-1.5 py-0.5 text-xs font-normal text-gray-500">{model.task}</span>
      </h2>
      <div className="mt-3 border-b border-gray-200">
        <NavLinks items={items} label="Model" orientation="horizontal" />
      </div>
    </div>
  );
}
