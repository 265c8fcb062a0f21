import type { Metadata } from "next";
import { DatasetPage } from "./dataset-page";

export const metadata: Metadata = { title: "Dataset" };

export default function Page() {
  return <DatasetPage />;
}
