import type { Metadata } from "next";
import { OrgSettings } from "./org-settings";

export const metadata: Metadata = { title: "Settings" };

export default function Page() {
  return <OrgSettings />;
}
