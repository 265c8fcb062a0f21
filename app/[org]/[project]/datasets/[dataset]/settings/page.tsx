import type { Metadata } from "next";
import { DatasetSettings } from "./dataset-settings";

export const metadata: Metadata = { title: "Dataset settings" };

export default function Page() {
  return <DatasetSettings />;
}
