"use client";

import { createContext, useContext, type ReactNode } from "react";
import { roleAtLeast, type Role } from "@/server/tenancy/schemas";
import type { PrimaryMetric } from "@/server/tenancy/schemas";

export interface OrgContextValue {
  org: { id: string; slug: string; name: string; role: Role };
  me: { id: string; name: string; email: string };
}

const OrgContext = createContext<OrgContextValue | null>(null);

export function OrgProvider({ value, children }: { value: OrgContextValue; children: ReactNode }) {
  return <OrgContext.Provider value={value}>{children}</OrgContext.Provider>;
}

/** The organisation of the current URL and the signed-in user, resolved once by the org layout. */
export function useOrg() {
  const value = useContext(OrgContext);
  if (!value) throw new Error("useOrg() outside an organisation page");
  return { ...value, can: (min: Role) => roleAtLeast(value.org.role, min) };
}

export interface ProjectContextValue {
  id: string;
  slug: string;
  name: string;
  description: string;
  primaryMetric: PrimaryMetric | null;
  createdAt: string;
}

const ProjectContext = createContext<ProjectContextValue | null>(null);

export function ProjectProvider({ value, children }: { value: ProjectContextValue; children: ReactNode }) {
  return <ProjectContext.Provider value={value}>{children}</ProjectContext.Provider>;
}

export function useProject() {
  const value = useContext(ProjectContext);
  if (!value) throw new Error("useProject() outside a project page");
  return value;
}
