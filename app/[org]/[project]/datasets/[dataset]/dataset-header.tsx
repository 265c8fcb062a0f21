"use client";

import { Breadcrumbs } from "../../../../_components/breadcrumbs";
import { NavLinks, type NavItem } from "../../../../_components/nav-links";
import { useOrg, useProject } from "../../../../_components/org-context";
import { useDataset } from "../_components/dataset-context";

export function DatasetHeader() {
  const { org } = useOrg();
  const project = useProject();
  const dataset = useDataset();
  const { paths } = dataset;
  const items: NavItem[] = [
    { label: "Versions", href: paths.base, match: (p) => p === paths.base || p.startsWith(`${paths.base}/versions/`) || p.startsWith(`${paths.base}/compare`) },
    { label: "Contract", href: paths.contract },
    { label: "Lineage", href: paths.lineage("dataset", dataset.id), match: (p) => p.startsWith(`${paths.base}/lineage`) },
    { label: "Settings", href: paths.settings },
  ];
  return (
    <div className="mb-6">
      <Breadcrumbs items={[{ label: "Datasets", href: `/${org.slug}/${project.slug}/datasets` }, { label: dataset.slug, mono: true }]} />
      <h2 className="mt-1 text-xl font-semibold tracking-tight text-gray-900">{dataset.name}</h2>
      <div className="mt-3 border-b border-gray-200">
        <NavLinks items={items} label="Dataset" orientation="horizontal" />
      </div>
    </div>
  );
}
