import type { Metadata } from "next";
import { ProjectOverview } from "./project-overview";

export const metadata: Metadata = { title: "Project" };

export default function Page() {
  return <ProjectOverview />;
}
