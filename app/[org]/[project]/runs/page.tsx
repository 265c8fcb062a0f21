import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingRows } from "../../../_components/states";
import { RunsPage } from "./runs-page";

export const metadata: Metadata = { title: "Runs" };

export default function Page() {
  return (
    <Suspense fallback={<LoadingRows rows={8} label="Loading runs" />}>
      <RunsPage />
    </Suspense>
  );
}
